import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startService, type RunningService } from '../support/service.js';
import { Api } from '../support/http.js';
import { basilInvoice, chargeRefunded, checkoutSession, stripeEvent, uid } from '../support/stripe-events.js';
import { click, conversionsOf, deliverStripe, logsOf, storefront, stripeSource } from '../support/webhooks.js';

/**
 * A fake Stripe API: a checkout session retrieve answers with one promotion code; an invoice's payments list
 * answers with the payment intent `pi_of_<invoice id>` (and fails for invoices named `in_unreadable...`).
 */
function fakeStripeApi(promotionCode: string): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url!);
    const match = /^\/v1\/checkout\/sessions\/([^/?]+)/.exec(req.url!);
    res.setHeader('content-type', 'application/json');
    const url = new URL(req.url!, 'http://stripe');
    if (url.pathname === '/v1/invoice_payments') {
      const invoice = url.searchParams.get('invoice')!;
      if (invoice.startsWith('in_unreadable')) {
        res.statusCode = 403;
        res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'The provided key does not have the required permissions' } }));
        return;
      }
      const payment = { object: 'invoice_payment', invoice, payment: { type: 'payment_intent', payment_intent: `pi_of_${invoice}` } };
      res.end(JSON.stringify({ object: 'list', data: [payment], has_more: false, url: '/v1/invoice_payments' }));
      return;
    }
    if (!match) {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'no such route' } }));
      return;
    }
    const session = checkoutSession({ id: match[1] });
    res.end(JSON.stringify({ ...session, discounts: [{ coupon: null, promotion_code: { id: 'promo_1', object: 'promotion_code', code: promotionCode } }] }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests });
  }));
}

describe('attribution of Stripe sales', () => {
  let running: RunningService;
  let api: Api;
  let stripeApi: Awaited<ReturnType<typeof fakeStripeApi>>;

  before(async () => {
    stripeApi = await fakeStripeApi('spring-coupon');
    running = await startService({ STRIPE_API_BASE: stripeApi.url });
    api = new Api(running.url);
  });
  after(async () => {
    await running.stop();
    stripeApi.server.close();
  });

  it('attributes a sale to the click in metadata.synaptyx_clickid', async () => {
    const shop = await storefront(api);
    const source = await stripeSource(api, shop.key);
    const clickId = await click(api, shop.link.slug);
    const session = checkoutSession({ metadata: { synaptyx_clickid: clickId }, amount_total: 14999, currency: 'usd' });

    const reply = await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', session));

    expect(reply.status).to.equal(200);
    const [conversion] = await conversionsOf(api, shop.key);
    expect(conversion).to.include({
      source_id: source.id, campaign_id: shop.campaign.id, link_id: shop.link.id, click_id: clickId,
      goal: 'purchase', provider_order_id: session.payment_intent, amount: 14999, currency: 'USD',
      refunded_amount: 0, disputed_amount: 0, net_amount: 14999, status: 'paid', attribution: 'metadata',
    });
    const [log] = await logsOf(api, shop.key, source.id);
    expect(log).to.include({ event_type: 'checkout.session.completed', outcome: 'attributed', conversion_id: conversion.id });
  });

  it('attributes through client_reference_id (Payment Links, Buy Buttons)', async () => {
    const shop = await storefront(api);
    const source = await stripeSource(api, shop.key);
    const clickId = await click(api, shop.link.slug);
    await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', checkoutSession({ client_reference_id: clickId })));
    const [conversion] = await conversionsOf(api, shop.key);
    expect(conversion).to.include({ attribution: 'client_reference_id', click_id: clickId, link_id: shop.link.id });
  });

  it('attributes a click whose row is not written yet: the id alone proves it', async () => {
    const shop = await storefront(api);
    const source = await stripeSource(api, shop.key);
    const unrecorded = running.service.clickIds.mint(shop.link.id);
    await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', checkoutSession({ metadata: { synaptyx_clickid: unrecorded } })));
    const [conversion] = await conversionsOf(api, shop.key);
    expect(conversion).to.include({ attribution: 'metadata', click_id: unrecorded, campaign_id: shop.campaign.id });
  });

  it('follows the customer of an earlier attributed sale', async () => {
    const shop = await storefront(api);
    const source = await stripeSource(api, shop.key);
    const clickId = await click(api, shop.link.slug);
    const customer = uid('cus');
    await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', checkoutSession({ customer, metadata: { synaptyx_clickid: clickId } })));
    await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', checkoutSession({ customer, metadata: {} })));
    const conversions = await conversionsOf(api, shop.key);
    expect(conversions.map((c) => c.attribution)).to.deep.equal(['customer', 'metadata']);
    expect(conversions[0]).to.include({ click_id: clickId, campaign_id: shop.campaign.id });
  });

  it('attributes a promotion code to its campaign, looked up through the Stripe API, ignoring case', async () => {
    const shop = await storefront(api, 'SPRING-COUPON');
    const source = await stripeSource(api, shop.key);
    const session = checkoutSession({ discounts: [{ coupon: null, promotion_code: 'promo_1' }], total_details: { amount_discount: 200, amount_shipping: 0, amount_tax: 0 } });
    const reply = await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', session));
    expect(reply.status).to.equal(200);
    const [conversion] = await conversionsOf(api, shop.key);
    expect(conversion).to.include({ attribution: 'coupon', campaign_id: shop.campaign.id, click_id: null, link_id: null });
    expect(stripeApi.requests.some((url) => url.startsWith(`/v1/checkout/sessions/${session.id}`) && url.includes('promotion_code'))).to.equal(true);
  });

  it('keeps a sale with no click id as an orphan', async () => {
    const shop = await storefront(api);
    const source = await stripeSource(api, shop.key);
    await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', checkoutSession()));
    const [conversion] = await conversionsOf(api, shop.key);
    expect(conversion).to.include({ attribution: null, campaign_id: null, click_id: null });
    expect((await logsOf(api, shop.key, source.id))[0].outcome).to.equal('orphan_no_clickid');
  });

  it('does not attribute a forged click id', async () => {
    const shop = await storefront(api);
    const source = await stripeSource(api, shop.key);
    const genuine = await click(api, shop.link.slug);
    const forged = genuine.slice(0, -3) + (genuine.endsWith('AAA') ? 'BBB' : 'AAA');
    await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', checkoutSession({ metadata: { synaptyx_clickid: forged } })));
    const [conversion] = await conversionsOf(api, shop.key);
    expect(conversion).to.include({ attribution: null, campaign_id: null });
    expect((await logsOf(api, shop.key, source.id))[0].outcome).to.equal('invalid_clickid');
  });

  it("does not attribute another workspace's click", async () => {
    const theirs = await storefront(api);
    const shop = await storefront(api);
    const source = await stripeSource(api, shop.key);
    const foreignClick = await click(api, theirs.link.slug);
    await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', checkoutSession({ metadata: { synaptyx_clickid: foreignClick } })));
    expect((await logsOf(api, shop.key, source.id))[0].outcome).to.equal('invalid_clickid');
    expect(await conversionsOf(api, theirs.key)).to.have.length(0);
  });

  it('waits for async_payment_succeeded when the session is unpaid', async () => {
    const shop = await storefront(api);
    const source = await stripeSource(api, shop.key);
    const clickId = await click(api, shop.link.slug);
    const session = checkoutSession({ payment_status: 'unpaid', metadata: { synaptyx_clickid: clickId } });
    await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', session));
    expect(await conversionsOf(api, shop.key)).to.have.length(0);
    await deliverStripe(api, source.id, stripeEvent('checkout.session.async_payment_succeeded', { ...session, payment_status: 'paid' }));
    const [conversion] = await conversionsOf(api, shop.key);
    expect(conversion).to.include({ attribution: 'metadata', click_id: clickId });
    expect((await logsOf(api, shop.key, source.id)).map((log) => log.outcome)).to.deep.equal(['attributed', 'ignored']);
  });

  it('records no sale for setup mode or a zero total', async () => {
    const shop = await storefront(api);
    const source = await stripeSource(api, shop.key);
    await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', checkoutSession({ mode: 'setup', amount_total: null, payment_intent: null })));
    await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', checkoutSession({ amount_total: 0 })));
    expect(await conversionsOf(api, shop.key)).to.have.length(0);
    expect((await logsOf(api, shop.key, source.id)).map((log) => log.outcome)).to.deep.equal(['ignored', 'ignored']);
  });
  it("finds a current-shape renewal's payment through the API, so its refund adjusts it", async () => {
    const shop = await storefront(api);
    const source = await stripeSource(api, shop.key);
    const clickId = await click(api, shop.link.slug);
    const renewal = basilInvoice({
      id: uid('in'), subscription: uid('sub'), billing_reason: 'subscription_cycle', payments: undefined, metadata: { synaptyx_clickid: clickId },
    });
    expect((await deliverStripe(api, source.id, stripeEvent('invoice.paid', renewal))).body).to.include({ outcome: 'attributed' });
    expect(stripeApi.requests.some((url) => url.startsWith('/v1/invoice_payments') && url.includes(renewal.id))).to.equal(true);

    const refund = chargeRefunded({ payment_intent: `pi_of_${renewal.id}`, amount: renewal.amount_paid, amount_refunded: 1_000 });
    expect((await deliverStripe(api, source.id, stripeEvent('charge.refunded', refund))).body).to.include({ outcome: 'adjusted' });
    const [conversion] = await conversionsOf(api, shop.key);
    expect(conversion).to.include({ goal: 'renewal', provider_order_id: renewal.id, refunded_amount: 1_000, status: 'partially_refunded' });
  });

  it('still records a renewal whose payments the API will not show', async () => {
    const shop = await storefront(api);
    const source = await stripeSource(api, shop.key);
    const renewal = basilInvoice({ id: uid('in_unreadable'), subscription: uid('sub'), billing_reason: 'subscription_cycle', payments: undefined });
    const reply = await deliverStripe(api, source.id, stripeEvent('invoice.paid', renewal));
    expect(stripeApi.requests.some((url) => url.startsWith('/v1/invoice_payments') && url.includes(renewal.id)), 'the API was asked').to.equal(true);
    expect(reply.status).to.equal(200);
    expect(await conversionsOf(api, shop.key)).to.have.length(1);
  });
});
