import { expect } from 'chai';
import { createStripeProvider } from '../../src/providers/stripe/index.js';
import { InvalidSignature, type NormalizedEvent, type ProviderEvent } from '../../src/providers/provider.js';
import { signStripe } from '../support/signing.js';
import { fixtureCopy, orderFacts, orderOf, wrapStripeData, type Fixture } from '../support/provider-fixtures.js';

/**
 * MODIFIED copies of the real fixtures, for the cases no public payload shows (SOURCES.md): a click id in the
 * metadata, a promotion code, a Connect `account`, a paid invoice. Each test names the fields it changed.
 */
const stripe = createStripeProvider({ apiBase: 'https://api.stripe.com' });
const SECRET = 'whsec_unit_test_secret';
const at = (seconds: number) => new Date(seconds * 1000);

async function verified(event: Fixture): Promise<ProviderEvent> {
  const payload = JSON.stringify(event);
  return stripe.verify({ rawBody: Buffer.from(payload), headers: { 'stripe-signature': signStripe(payload, SECRET) } }, SECRET);
}

const normalized = async (event: Fixture): Promise<NormalizedEvent> => stripe.normalize(await verified(event));

/** The payment-mode session event with `fields` changed on its session. */
function paymentSession(fields: Fixture, type = 'checkout.session.completed'): Fixture {
  const event = fixtureCopy('stripe.checkout.session.completed.json');
  return { ...event, type, data: { object: { ...event.data.object, ...fields } } };
}

/** The subscription-mode session (data-only fixture) in an envelope, with `fields` changed. */
function subscriptionSession(fields: Fixture = {}): Fixture {
  const data = fixtureCopy('stripe.checkout.session.completed.subscription-mode.data-only.json');
  return wrapStripeData({ object: { ...data.object, ...fields } }, 'checkout.session.completed');
}

/** The legacy invoice.paid event with `fields` changed (the original paid 0). */
function legacyInvoice(fields: Fixture): Fixture {
  const event = fixtureCopy('stripe.invoice.paid.json');
  return { ...event, data: { object: { ...event.data.object, ...fields } } };
}

/** The basil invoice (data-only, a failed payment) turned into a paid invoice.paid, with `fields` changed. */
function basilInvoice(fields: Fixture): Fixture {
  const data = fixtureCopy('stripe.invoice.payment_failed.basil.data-only.json');
  const invoice = { ...data.object, status: 'paid', amount_paid: data.object.amount_due, amount_remaining: 0, ...fields };
  return wrapStripeData({ object: invoice }, 'invoice.paid');
}

const SESSION_ID = 'cs_live_9RBjcHiy2i5p99Tf1MYM90c3SHK1grU0E6Ae6pKWR2KPA4ZiuKiB2X1Y3X';
const PAYMENT_INTENT = 'pi_1IqxJOJDPojXS6LN9uOebAea';

describe('Stripe adapter: modified fixtures', () => {
  describe('checkout sessions', () => {
    it('reads the click id from metadata and client_reference_id (modified: both added)', async () => {
      const order = orderOf(await normalized(paymentSession({ metadata: { synaptyx_clickid: 'clk_abc' }, client_reference_id: 'clk_ref' })));
      expect(order).to.include({ orderId: PAYMENT_INTENT, clickId: 'clk_abc', clientReferenceId: 'clk_ref', amount: 999, currency: 'EUR' });
    });

    it('an unpaid session waits for async_payment_succeeded, which is the sale (modified: payment_status)', async () => {
      expect(await normalized(paymentSession({ payment_status: 'unpaid' }))).to.deep.equal({ kind: 'not_a_sale', reason: 'unpaid: waiting for async_payment_succeeded' });
      const order = orderOf(await normalized(paymentSession({}, 'checkout.session.async_payment_succeeded')));
      expect(order).to.deep.equal(orderOf(await normalized(paymentSession({}))));
    });

    it('setup mode, a zero and a missing total are no sale (modified: mode, amount_total)', async () => {
      expect(await normalized(paymentSession({ mode: 'setup', payment_status: 'no_payment_required', amount_total: null }))).to.deep.equal({ kind: 'not_a_sale', reason: 'setup-mode session: no payment' });
      expect(await normalized(paymentSession({ amount_total: 0, payment_status: 'no_payment_required' }))).to.deep.equal({ kind: 'not_a_sale', reason: 'session total is zero' });
      expect(await normalized(paymentSession({ amount_total: null }))).to.deep.equal({ kind: 'not_a_sale', reason: 'session total is zero' });
    });

    it('falls back to the session id without a payment intent, and reads an expanded customer (modified)', async () => {
      const order = orderOf(await normalized(paymentSession({ payment_intent: null, invoice: null, customer: { id: 'cus_expanded', object: 'customer' } })));
      expect(order).to.include({ orderId: SESSION_ID, customerId: 'cus_expanded' });
      expect(order.refs).to.deep.equal([SESSION_ID]);
    });

    it('a promotion code id asks for a lookup by session; a coupon alone does not (modified: discounts)', async () => {
      const promoted = orderOf(await normalized(paymentSession({ discounts: [{ coupon: 'co_1', promotion_code: 'promo_1' }], total_details: { amount_discount: 100, amount_shipping: 0, amount_tax: 0 } })));
      expect(promoted).to.include({ couponLookup: SESSION_ID });
      expect(promoted.couponCodes).to.deep.equal([]);
      const couponOnly = orderOf(await normalized(paymentSession({ discounts: [{ coupon: 'co_1', promotion_code: null }], total_details: { amount_discount: 100, amount_shipping: 0, amount_tax: 0 } })));
      expect(couponOnly.couponLookup).to.equal(null);
    });

    it('an expanded promotion code needs no lookup (modified: discounts with the code object)', async () => {
      const order = orderOf(await normalized(paymentSession({ discounts: [{ coupon: 'co_1', promotion_code: { id: 'promo_1', object: 'promotion_code', code: 'SUMMER25' } }] })));
      expect(order).to.deep.include({ couponCodes: ['SUMMER25'], couponLookup: null });
    });

    it('without a discounts list (older API), a discounted total asks for a lookup (modified)', async () => {
      const event = subscriptionSession({ total_details: { amount_discount: 500, amount_shipping: 0, amount_tax: 0 } });
      delete event.data.object.discounts;
      expect(orderOf(await normalized(event)).couponLookup).to.equal('cs_test_a1UejXx8ebIdTzFolicVypUAZpOBVkoQKDbaarXoPlPVtj8p0zujPEEhjT');
    });

    it('a subscription checkout names its first invoice and shares its key (modified: invoice, metadata)', async () => {
      const order = orderOf(await normalized(subscriptionSession({ invoice: 'in_first', metadata: { synaptyx_clickid: 'clk_sub' } })));
      expect(order).to.include({ orderId: 'sub_1LNkeSKXBGcbgpbZ7jMqOPSi:initial', clickId: 'clk_sub', initialSubscriptionPayment: false });
      expect(order.refs).to.deep.equal(['sub_1LNkeSKXBGcbgpbZ7jMqOPSi:initial', 'cs_test_a1UejXx8ebIdTzFolicVypUAZpOBVkoQKDbaarXoPlPVtj8p0zujPEEhjT', 'in_first']);
      const invoice = orderOf(await normalized(legacyInvoice({ id: 'in_first', subscription: 'sub_1LNkeSKXBGcbgpbZ7jMqOPSi', billing_reason: 'subscription_create', amount_paid: 1900 })));
      expect(invoice.orderId).to.equal(order.orderId);
    });

    it('a Connect event carries its account (modified: top-level account added)', async () => {
      const event = await verified({ ...paymentSession({}), account: 'acct_connected_1' });
      expect(event.account).to.equal('acct_connected_1');
      expect(orderOf(stripe.normalize(event)).orderId).to.equal(PAYMENT_INTENT);
    });
  });

  describe('invoices', () => {
    const LEGACY = { subscription: 'sub_JsuPyCPhXWfZar', customer: 'cus_JsuO3bmrj0QlAw', id: 'in_1KJqKBJDPojXS6LNJbvLUgEy', created: 1_642_649_111 };

    it('legacy renewal: top-level subscription and subscription_details metadata (modified: amount_paid, pi, charge, metadata)', async () => {
      const event = legacyInvoice({ amount_paid: 4900, payment_intent: 'pi_renewal', charge: 'ch_renewal', subscription_details: { metadata: { synaptyx_clickid: 'clk_legacy' } } });
      expect(orderOf(await normalized(event))).to.deep.equal(orderFacts({
        orderId: LEGACY.id, refs: [LEGACY.id, 'pi_renewal', 'ch_renewal'], amount: 4900, currency: 'USD', clickId: 'clk_legacy',
        customerId: LEGACY.customer, renewal: true, occurredAt: at(LEGACY.created),
      }));
    });

    it('legacy first payment (subscription_create) uses the subscription key (modified: amount_paid, billing_reason)', async () => {
      const order = orderOf(await normalized(legacyInvoice({ amount_paid: 4900, billing_reason: 'subscription_create' })));
      expect(order).to.include({ orderId: `${LEGACY.subscription}:initial`, initialSubscriptionPayment: true, renewal: false });
      expect(order.refs).to.deep.equal([`${LEGACY.subscription}:initial`, LEGACY.id]);
    });

    it('basil renewal: subscription and metadata under parent.subscription_details (modified: paid, metadata)', async () => {
      const parent = { quote_details: null, type: 'subscription_details', subscription_details: { metadata: { license_id: '0', synaptyx_clickid: 'clk_basil' }, subscription: 'sub_1234' } };
      expect(orderOf(await normalized(basilInvoice({ parent })))).to.deep.equal(orderFacts({
        orderId: 'in_1234', refs: ['in_1234'], amount: 24900, currency: 'USD', clickId: 'clk_basil', customerId: 'cus_1234', renewal: true,
        paymentLookup: 'in_1234', occurredAt: at(1_745_433_962),
      }));
    });

    it('basil first payment uses the subscription key; payments, when included, are refs (modified)', async () => {
      const payments = { object: 'list', data: [{ payment: { type: 'payment_intent', payment_intent: 'pi_basil' } }] };
      const order = orderOf(await normalized(basilInvoice({ billing_reason: 'subscription_create', payments })));
      expect(order).to.include({ orderId: 'sub_1234:initial', initialSubscriptionPayment: true, renewal: false, clickId: null });
      expect(order.refs).to.deep.equal(['sub_1234:initial', 'in_1234', 'pi_basil']);
      expect(order.paymentLookup, 'nothing to look up').to.equal(null);
    });

    it('another billing reason is a sale keyed on the invoice (modified: billing_reason manual)', async () => {
      expect(orderOf(await normalized(basilInvoice({ billing_reason: 'manual' })))).to.include({ orderId: 'in_1234', renewal: false, initialSubscriptionPayment: false });
    });
  });

  describe('refunds, disputes, subscriptions and the rest', () => {
    it('maps refund statuses: requires_action is pending (modified: status)', async () => {
      for (const [status, expected] of [['requires_action', 'pending'], ['pending', 'pending'], ['failed', 'failed'], ['canceled', 'canceled']]) {
        const event = fixtureCopy('stripe.refund.updated.json');
        event.data.object.status = status;
        expect(await normalized(event), status).to.deep.nested.include({ 'refund.status': expected });
      }
    });

    it('maps dispute statuses, and funds_reinstated as won (modified: status, type)', async () => {
      const cases: [string, string, string][] = [
        ['charge.dispute.updated', 'under_review', 'open'],
        ['charge.dispute.updated', 'warning_needs_response', 'open'],
        ['charge.dispute.created', 'warning_under_review', 'open'],
        ['charge.dispute.closed', 'prevented', 'closed'],
        ['charge.dispute.funds_reinstated', 'won', 'won'],
        ['charge.dispute.funds_reinstated', 'under_review', 'won'],
      ];
      for (const [type, status, expected] of cases) {
        const event = fixtureCopy('stripe.charge.dispute.created.json');
        event.type = type;
        event.data.object.status = status;
        expect(await normalized(event), `${type} ${status}`).to.deep.nested.include({ 'dispute.status': expected, 'dispute.amount': 100 });
      }
    });

    it('customer.subscription.created remembers the click id and the customer (modified: type, metadata, expanded customer)', async () => {
      const event = fixtureCopy('stripe.customer.subscription.updated.json');
      event.type = 'customer.subscription.created';
      event.data.object.metadata = { synaptyx_clickid: 'clk_sub' };
      event.data.object.customer = { id: 'cus_IhGfebO16cMIGN', object: 'customer' };
      expect(await normalized(event)).to.deep.equal({
        kind: 'subscription', subscription: { subscriptionId: 'sub_JLEPMp81LApOJl', customerId: 'cus_IhGfebO16cMIGN', clickId: 'clk_sub', clientReferenceId: null },
      });
    });

    it('a deauthorization without an account, and an unknown type, change nothing (modified)', async () => {
      const event = fixtureCopy('stripe.account.application.deauthorized.json');
      delete event.account;
      expect(await normalized(event)).to.deep.equal({ kind: 'not_a_sale', reason: 'deauthorization without an account' });
      expect(await normalized({ ...fixtureCopy('stripe.refund.created.json'), type: 'payment_intent.created' })).to.deep.equal({ kind: 'unsupported' });
    });

    it('refuses a signed body that is not an event, with a short message', async () => {
      const payload = JSON.stringify({ object: 'event', hello: 'world' });
      let thrown: unknown = null;
      await stripe.verify({ rawBody: Buffer.from(payload), headers: { 'stripe-signature': signStripe(payload, SECRET) } }, SECRET).catch((e: unknown) => (thrown = e));
      expect(thrown).to.be.instanceOf(InvalidSignature);
      const stale = signStripe(payload, SECRET, Math.floor(Date.now() / 1000) - 400);
      await stripe.verify({ rawBody: Buffer.from(payload), headers: { 'stripe-signature': stale } }, SECRET).catch((e: unknown) => (thrown = e));
      expect((thrown as Error).message).to.equal('signature check failed: Timestamp outside the tolerance zone');
    });
  });
});
