import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useService } from '../support/service.js';
import { basilInvoice, chargeRefunded, checkoutSession, fixture, legacyInvoice, refund, stripeEvent, subscriptionSession, uid } from '../support/stripe-events.js';
import { click, conversionsOf, deliverStripe, logsOf, storefront, stripeSource } from '../support/webhooks.js';

/**
 * A fake Stripe API for promotion codes: a session retrieve answers with the code `LAUNCH-<n>` named in the
 * session id (`cs_test_code_LAUNCH-7_...`), refuses the key for sessions named `..._refused_...` and answers 500
 * for `..._down_...`.
 */
function fakeStripeApi(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    const id = /^\/v1\/checkout\/sessions\/([^/?]+)/.exec(req.url!)?.[1] ?? '';
    if (id.includes('_refused_')) {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****abcd' } }));
    } else if (id.includes('_down_') || !id) {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: { type: 'api_error', message: 'Something went wrong on Stripe\'s end.' } }));
    } else {
      const code = /_code_([A-Z0-9-]+)_/.exec(id)?.[1] ?? null;
      res.end(JSON.stringify({ ...checkoutSession({ id }), discounts: [{ coupon: null, promotion_code: { id: 'promo_1', object: 'promotion_code', code } }] }));
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

const withPromotionCode = (fields: Record<string, unknown>) => ({
  discounts: [{ coupon: null, promotion_code: 'promo_1' }],
  total_details: { amount_discount: 200, amount_shipping: 0, amount_tax: 0 },
  ...fields,
});

describe('exact sales: one payment, one sale, the best attribution, money back when a refund fails', () => {
  let stripeApi: Awaited<ReturnType<typeof fakeStripeApi>>;
  before(async () => (stripeApi = await fakeStripeApi()));
  after(() => stripeApi.server.close());
  const suite = useService(() => ({ STRIPE_API_BASE: stripeApi.url }));

  async function shop() {
    const store = await storefront(suite.api);
    const source = await stripeSource(suite.api, store.key);
    const send = (event: unknown) => deliverStripe(suite.api, source.id, event);
    return { ...store, source, send, clickId: await click(suite.api, store.link.slug) };
  }

  describe('a payment-mode Checkout Session with invoice_creation and the invoice it creates', () => {
    // The shared fixture is such a session: mode payment, invoice_creation enabled, an invoice id and a payment intent.
    const sessionOf = (clickId: string) => {
      const session = fixture('stripe.checkout.session.completed.json').data.object;
      return { ...session, id: uid('cs_test'), payment_intent: uid('pi'), invoice: uid('in'), customer: uid('cus'), metadata: { synaptyx_clickid: clickId } };
    };
    const oneOffInvoice = (session: { invoice: string; payment_intent: string; customer: string; amount_total: number }, shape: 'legacy' | 'basil') =>
      shape === 'legacy'
        ? legacyInvoice({ subscription: null as unknown as string, id: session.invoice, billing_reason: 'manual', customer: session.customer, amount_paid: session.amount_total, payment_intent: session.payment_intent })
        : basilInvoice({ subscription: '', id: session.invoice, billing_reason: 'manual', customer: session.customer, amount_paid: session.amount_total, parent: null, payments: undefined });

    for (const shape of ['legacy', 'basil'] as const) {
      for (const invoiceFirst of [false, true]) {
        it(`are one sale (${shape} invoice, ${invoiceFirst ? 'invoice' : 'session'} first)`, async () => {
          const { send, key, source, clickId } = await shop();
          const session = sessionOf(clickId);
          const events = [stripeEvent('checkout.session.completed', session), stripeEvent('invoice.paid', oneOffInvoice(session, shape))];
          for (const event of invoiceFirst ? events.reverse() : events) expect((await send(event)).status).to.equal(200);
          const conversions = await conversionsOf(suite.api, key);
          expect(conversions).to.have.length(1);
          expect(conversions[0]).to.include({ amount: session.amount_total, click_id: clickId, attribution: 'metadata' });
          const outcomes = (await logsOf(suite.api, key, source.id)).map((log) => log.outcome);
          expect(outcomes).to.deep.equal(invoiceFirst ? ['attributed', 'orphan_no_clickid'] : ['duplicate', 'attributed']);
          // A refund naming the payment intent finds the one sale, whichever event recorded it.
          await send(stripeEvent('charge.refunded', chargeRefunded({ payment_intent: session.payment_intent, amount: session.amount_total, amount_refunded: 500 })));
          expect((await conversionsOf(suite.api, key))[0]).to.include({ refunded_amount: 500, status: 'partially_refunded' });
        });
      }
    }
  });

  describe('a later report of the same sale that knows the click', () => {
    it('upgrades an orphan invoice to the Payment Link session\'s client_reference_id, once, logged', async () => {
      const { send, key, source, clickId, campaign, link } = await shop();
      const subscription = uid('sub');
      const customer = uid('cus');
      const invoice = stripeEvent('invoice.paid', basilInvoice({ subscription, customer, billing_reason: 'subscription_create' }));
      const session = stripeEvent('checkout.session.completed', subscriptionSession({ subscription, customer, client_reference_id: clickId, metadata: {} }));
      expect((await send(invoice)).body.outcome).to.equal('orphan_no_clickid');
      const upgrade = await send(session);
      expect(upgrade.body.outcome).to.equal('attributed');
      const [conversion] = await conversionsOf(suite.api, key);
      expect(conversion).to.include({ attribution: 'client_reference_id', click_id: clickId, link_id: link.id, campaign_id: campaign.id, first_click_id: clickId });
      const [log] = await logsOf(suite.api, key, source.id);
      expect(log.detail).to.contain('attribution upgraded from none to client_reference_id');
      expect(log.conversion_id).to.equal(conversion.id);
      // The same delivery again is a duplicate; the sale stays as it is.
      expect((await send(session)).body.outcome).to.equal('duplicate');
      // The customer now follows the click: a renewal without metadata is credited to it.
      await send(stripeEvent('invoice.paid', basilInvoice({ subscription, customer, billing_reason: 'subscription_cycle' })));
      const renewal = (await conversionsOf(suite.api, key)).find((c) => c.goal === 'renewal');
      expect(renewal).to.include({ attribution: 'customer', click_id: clickId });
      expect(await conversionsOf(suite.api, key)).to.have.length(2);
    });

    it('upgrades an orphan to the campaign of a promotion code, and a coupon to a click, but never downgrades', async () => {
      const { send, key, source, clickId, campaign } = await shop();
      const code = `LAUNCH-${Math.floor(Math.random() * 1e6)}`;
      await suite.api.patch(`/api/campaigns/${campaign.id}`, { coupon_codes: [code] }, { key });
      const subscription = uid('sub');
      const customer = uid('cus');
      await send(stripeEvent('invoice.paid', basilInvoice({ subscription, customer, billing_reason: 'subscription_create' })));
      const coupon = subscriptionSession({ id: uid(`cs_test_code_${code}`), subscription, customer, metadata: {}, ...withPromotionCode({}) });
      expect((await send(stripeEvent('checkout.session.completed', coupon))).body.outcome).to.equal('attributed');
      expect((await conversionsOf(suite.api, key))[0]).to.include({ attribution: 'coupon', campaign_id: campaign.id, click_id: null });
      const clicked = subscriptionSession({ subscription, customer, metadata: { synaptyx_clickid: clickId } });
      expect((await send(stripeEvent('checkout.session.completed', clicked))).body.outcome).to.equal('attributed');
      expect((await conversionsOf(suite.api, key))[0]).to.include({ attribution: 'metadata', click_id: clickId });
      // A weaker report of the same sale (the coupon again, in a new event) changes nothing.
      expect((await send(stripeEvent('checkout.session.completed', coupon))).body.outcome).to.equal('duplicate');
      expect((await conversionsOf(suite.api, key))[0]).to.include({ attribution: 'metadata', click_id: clickId });
      expect(await conversionsOf(suite.api, key)).to.have.length(1);
      const details = (await logsOf(suite.api, key, source.id)).map((log) => log.detail);
      expect(details.filter((detail) => detail.includes('upgraded'))).to.have.length(2);
    });
  });

  describe('a refund that later fails', () => {
    for (const type of ['refund.updated', 'charge.refund.updated', 'refund.failed']) {
      it(`gives the money back to net (${type} with status failed, after charge.refunded counted it)`, async () => {
        const { send, key, clickId } = await shop();
        const session = checkoutSession({ metadata: { synaptyx_clickid: clickId } });
        await send(stripeEvent('checkout.session.completed', session));
        const created = Math.floor(Date.now() / 1000) - 60;
        const made = refund({ payment_intent: session.payment_intent, amount: 400, status: 'succeeded', created });
        await send(stripeEvent('refund.created', made, { created }));
        await send(stripeEvent('charge.refunded', chargeRefunded({ payment_intent: session.payment_intent, amount: session.amount_total, amount_refunded: 400 }), { created: created + 1 }));
        expect((await conversionsOf(suite.api, key))[0]).to.include({ refunded_amount: 400, net_amount: session.amount_total - 400 });
        await send(stripeEvent(type, { ...made, status: 'failed', failure_reason: 'expired_or_canceled_card' }));
        expect((await conversionsOf(suite.api, key))[0]).to.include({ refunded_amount: 0, net_amount: session.amount_total, status: 'paid' });
      });
    }

    it('a canceled refund, reported before the charge total it was in, still gives the money back', async () => {
      const { send, key } = await shop();
      const session = checkoutSession();
      await send(stripeEvent('checkout.session.completed', session));
      const created = Math.floor(Date.now() / 1000) - 60;
      const made = refund({ payment_intent: session.payment_intent, amount: 300, status: 'canceled', created });
      await send(stripeEvent('refund.updated', made));
      await send(stripeEvent('charge.refunded', chargeRefunded({ payment_intent: session.payment_intent, amount: session.amount_total, amount_refunded: 300 }), { created: created + 1 }));
      expect((await conversionsOf(suite.api, key))[0]).to.include({ refunded_amount: 0, status: 'paid' });
    });
  });

  describe('a promotion code that cannot be looked up', () => {
    for (const [label, id] of [['the key is refused', 'cs_test_refused_'], ['Stripe is down', 'cs_test_down_']]) {
      it(`records the sale anyway and logs why (${label})`, async () => {
        const { send, key, source } = await shop();
        const session = checkoutSession({ id: uid(id), ...withPromotionCode({}) });
        const reply = await send(stripeEvent('checkout.session.completed', session));
        expect(reply.status).to.equal(200);
        expect(reply.body.outcome).to.equal('orphan_no_clickid');
        expect(await conversionsOf(suite.api, key)).to.have.length(1);
        const [log] = await logsOf(suite.api, key, source.id);
        expect(log.detail).to.contain('could not be looked up');
        expect(log.detail).not.to.contain('sk_test_51');
      });
    }

    it('still attributes by what else is known', async () => {
      const { send, key, clickId } = await shop();
      const session = checkoutSession({ id: uid('cs_test_down_'), client_reference_id: clickId, ...withPromotionCode({}) });
      expect((await send(stripeEvent('checkout.session.completed', session))).body.outcome).to.equal('attributed');
      expect((await conversionsOf(suite.api, key))[0]).to.include({ attribution: 'client_reference_id', click_id: clickId });
    });
  });

  describe('signed but malformed payloads', () => {
    const cases: [string, (session: Record<string, unknown>) => Record<string, unknown>, string][] = [
      ['a negative amount', (s) => ({ ...s, amount_total: -500 }), 'order.amount'],
      ['an amount of 1e300', (s) => ({ ...s, amount_total: 1e300 }), 'order.amount'],
      ['a NUL in the payment intent id', (s) => ({ ...s, payment_intent: 'pi_\u0000evil' }), 'order.orderId'],
      ['a lone surrogate in the customer id', (s) => ({ ...s, customer: 'cus_\ud800' }), 'order.customerId'],
      ['a currency that does not exist', (s) => ({ ...s, currency: 'zzz' }), 'order.currency'],
    ];
    for (const [label, change, field] of cases) {
      it(`answers 200 invalid_payload naming the field, every time, and stores nothing (${label})`, async () => {
        const { send, key, source } = await shop();
        const event = stripeEvent('checkout.session.completed', change(checkoutSession()));
        for (let attempt = 0; attempt < 2; attempt++) {
          const reply = await send(event);
          expect(reply.status, label).to.equal(200);
          expect(reply.body.outcome, label).to.equal('invalid_payload');
        }
        expect(await conversionsOf(suite.api, key)).to.deep.equal([]);
        const logs = await logsOf(suite.api, key, source.id, '&outcome=invalid_payload');
        expect(logs).to.have.length(2);
        expect(logs[0].detail).to.contain(field);
      });
    }

    it('a NUL in the event id itself is logged without the id', async () => {
      const { send, key, source } = await shop();
      const reply = await send(stripeEvent('checkout.session.completed', checkoutSession(), { id: 'evt_\u0000' }));
      expect(reply.body.outcome).to.equal('invalid_payload');
      const [log] = await logsOf(suite.api, key, source.id);
      expect(log).to.include({ outcome: 'invalid_payload', provider_event_id: null });
    });
  });

  it('an instant no clock has (a leap second) is a 400 on every database', async () => {
    const { key } = await suite.api.workspace();
    for (const to of ['2024-06-30T23:59:60Z', '0000-01-01T00:00:00Z', '2024-02-30T00:00:00Z']) {
      const reply = await suite.api.get(`/api/conversions?to=${encodeURIComponent(to)}`, { key });
      expect(reply.status, to).to.equal(400);
      expect(reply.body.error.details[0].pointer, to).to.equal('/to');
    }
  });
});
