import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createStripeProvider } from '../../src/providers/stripe/index.js';
import { InvalidSignature, type ProviderEvent } from '../../src/providers/provider.js';
import { signStripe } from '../support/signing.js';

const stripe = createStripeProvider({ apiBase: 'https://api.stripe.com' });
const SECRET = 'whsec_unit_test_secret';

function raw(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}

/** Data-only fixtures are wrapped into the event envelope Stripe would have sent. */
function envelope(name: string, type: string): string {
  return JSON.stringify({ id: `evt_${name.length}`, object: 'event', type, created: 1745433962, data: JSON.parse(raw(name)) });
}

async function verified(payload: string): Promise<ProviderEvent> {
  return stripe.verify({ rawBody: Buffer.from(payload), headers: { 'stripe-signature': signStripe(payload, SECRET) } }, SECRET);
}

const normalized = async (payload: string) => stripe.normalize(await verified(payload));

describe('Stripe adapter', () => {
  it('verifies the exact bytes and refuses tampering, a wrong secret, a stale timestamp or no header', async () => {
    const payload = raw('stripe.checkout.session.completed.json');
    const event = await verified(payload);
    expect(event).to.include({ id: 'evt_T8nSaZqtPudigUMqnnbY4D4v', type: 'checkout.session.completed', account: null });
    const header = signStripe(payload, SECRET);
    const attempts = [
      { rawBody: Buffer.from(payload.replace('"amount_total": 999', '"amount_total": 1')), headers: { 'stripe-signature': header } },
      { rawBody: Buffer.from(payload), headers: { 'stripe-signature': signStripe(payload, 'whsec_other') } },
      { rawBody: Buffer.from(payload), headers: { 'stripe-signature': signStripe(payload, SECRET, Math.floor(Date.now() / 1000) - 301) } },
      { rawBody: Buffer.from(payload), headers: {} },
    ];
    for (const delivery of attempts) {
      let thrown: unknown;
      await stripe.verify(delivery, SECRET).catch((error) => (thrown = error));
      expect(thrown).to.be.instanceOf(InvalidSignature);
    }
  });

  it('reads a paid payment-mode checkout session', async () => {
    const result = await normalized(raw('stripe.checkout.session.completed.json'));
    expect(result.kind).to.equal('order');
    if (result.kind !== 'order') return;
    expect(result.order).to.deep.include({
      orderId: 'pi_1IqxJOJDPojXS6LN9uOebAea', amount: 999, currency: 'EUR', clickId: null, clientReferenceId: null,
      customerId: 'cus_IhGfebO16cMIGN', couponCodes: [], couponLookup: null, renewal: false, refundedAmount: null,
    });
    expect(result.order.refs).to.include.members(['pi_1IqxJOJDPojXS6LN9uOebAea', 'cs_live_9RBjcHiy2i5p99Tf1MYM90c3SHK1grU0E6Ae6pKWR2KPA4ZiuKiB2X1Y3X']);
  });

  it('keys a subscription-mode session on its subscription, like the first invoice', async () => {
    const result = await normalized(envelope('stripe.checkout.session.completed.subscription-mode.data-only.json', 'checkout.session.completed'));
    const session = JSON.parse(raw('stripe.checkout.session.completed.subscription-mode.data-only.json')).object;
    expect(result.kind).to.equal(session.payment_status === 'paid' ? 'order' : 'not_a_sale');
    if (result.kind === 'order') expect(result.order.orderId).to.equal(`${session.subscription}:initial`);
  });

  it('reads a legacy invoice.paid that paid nothing as no sale', async () => {
    expect(await normalized(raw('stripe.invoice.paid.json'))).to.deep.equal({ kind: 'not_a_sale', reason: 'invoice paid nothing (trial or credit)' });
  });

  it('reads the basil invoice shape: subscription and metadata under parent', async () => {
    const data = JSON.parse(raw('stripe.invoice.payment_failed.basil.data-only.json'));
    data.object.amount_paid = data.object.amount_due; // modified: the fixture is a failed payment
    const payload = JSON.stringify({ id: 'evt_basil', object: 'event', type: 'invoice.paid', created: 1745433962, data });
    const result = await normalized(payload);
    expect(result).to.deep.nested.include({ kind: 'order', 'order.orderId': 'in_1234', 'order.amount': 24900, 'order.renewal': true, 'order.customerId': 'cus_1234', 'order.currency': 'USD' });
  });

  it('reads charge.refunded as a cumulative figure (legacy embedded refunds)', async () => {
    const result = await normalized(raw('stripe.charge.refunded.json'));
    expect(result).to.deep.nested.include({ kind: 'refund_total', 'refundTotal.refundedAmount': 2500, 'refundTotal.currency': 'USD' });
    if (result.kind === 'refund_total') expect(result.refundTotal.refs).to.include.members(['ch_3Kl36gJDPojXS6LN0DCM4A8l', 'pi_3Kl36gJDPojXS6LN02fQVtKR']);
  });

  it('reads refund.created, refund.updated and charge.refund.updated as single refunds', async () => {
    for (const name of ['stripe.refund.created.json', 'stripe.refund.updated.json']) {
      expect(await normalized(raw(name))).to.deep.nested.include({ kind: 'refund', 'refund.refundId': 're_1Nispe2eZvKYlo2Cd31jOCgZ', 'refund.amount': 1000, 'refund.status': 'succeeded' });
    }
    const basil = await normalized(raw('stripe.charge.refund.updated.basil.json'));
    expect(basil).to.deep.nested.include({ 'refund.refundId': 're_3RWYCFQ8iJWBZFaM191ZqGD9', 'refund.amount': 100 });
    if (basil.kind === 'refund') expect(basil.refund.refs).to.deep.equal(['ch_3RWYCFQ8iJWBZFaM1R8YF07I', 'pi_3RWYCFQ8iJWBZFaM1p1gEVdI']);
  });

  it('reads disputes: created holds, won releases, lost is final, an inquiry closes', async () => {
    const cases: [string, string][] = [
      ['stripe.charge.dispute.created.json', 'open'],
      ['stripe.charge.dispute.closed.won.json', 'won'],
      ['stripe.charge.dispute.closed.lost.json', 'lost'],
      ['stripe.charge.dispute.closed.warning_closed.basil.json', 'closed'],
    ];
    for (const [name, status] of cases) {
      const result = await normalized(raw(name));
      expect(result, name).to.deep.nested.include({ kind: 'dispute', 'dispute.status': status });
    }
    expect(await normalized(raw('stripe.charge.dispute.closed.lost.json'))).to.deep.nested.include({ 'dispute.amount': 4516, 'dispute.disputeId': 'dp_1OzgpEH4tiDZlIUaZ8iWQMsb' });
  });

  it('reads subscriptions for customer memory and the Connect deauthorization by its account', async () => {
    expect(await normalized(raw('stripe.customer.subscription.updated.json'))).to.deep.equal({
      kind: 'subscription',
      subscription: { subscriptionId: 'sub_JLEPMp81LApOJl', customerId: 'cus_IhGfebO16cMIGN', clickId: null, clientReferenceId: null },
    });
    const deauthorized = await verified(raw('stripe.account.application.deauthorized.json'));
    expect(deauthorized.account).to.equal('acct_1Fg9jUA3kq9o1aTc');
    expect(stripe.normalize(deauthorized)).to.deep.equal({ kind: 'account_deauthorized', accountId: 'acct_1Fg9jUA3kq9o1aTc' });
  });
});
