import { expect } from 'chai';
import { createStripeProvider } from '../../src/providers/stripe/index.js';
import type { NormalizedEvent, ProviderEvent } from '../../src/providers/provider.js';
import { signStripe } from '../support/signing.js';
import { expectInvalidSignature, fixtureCopy, orderFacts, rawFixture, tamper, wrapStripeData } from '../support/provider-fixtures.js';

const stripe = createStripeProvider({ apiBase: 'https://api.stripe.com' });
const SECRET = 'whsec_unit_test_secret';
const now = () => Math.floor(Date.now() / 1000);
const at = (seconds: number) => new Date(seconds * 1000);

/** The exact bytes Stripe sent; data-only fixtures wrapped into the envelope Stripe would have sent. */
function payloadOf(name: string): string {
  if (!name.includes('.data-only.')) return rawFixture(name);
  const type = name.startsWith('stripe.checkout.session') ? 'checkout.session.completed' : 'invoice.payment_failed';
  return JSON.stringify(wrapStripeData(fixtureCopy(name), type));
}

function verified(payload: string): Promise<ProviderEvent> {
  return stripe.verify({ rawBody: Buffer.from(payload), headers: { 'stripe-signature': signStripe(payload, SECRET) } }, SECRET);
}

const WRAPPED_CREATED = 1_745_433_962;
const DISPUTE_BASIL = { refs: ['ch_3RWXidQ8iJWBZFaM07eC54Yk', 'pi_3RWXidQ8iJWBZFaM0hwfe7LL'], disputeId: 'dp_1RWXieQ8iJWBZFaM572opwWo', amount: 100, currency: 'USD', occurredAt: at(1_749_106_569) };
const DISPUTE_2020 = { refs: ['ch_3OzgpDH4tiDZlIUa0M7QchGT', 'pi_3OzgpDH4tiDZlIUa0Ezzggtg'], disputeId: 'dp_1OzgpEH4tiDZlIUaZ8iWQMsb', amount: 4516, currency: 'USD', occurredAt: at(1_711_724_294) };
const REFUND_2022 = { refs: ['ch_1NirD82eZvKYlo2CIvbtLWuY', 'pi_1GszsK2eZvKYlo2CfhZyoZLp'], refundId: 're_1Nispe2eZvKYlo2Cd31jOCgZ', amount: 1000, currency: 'USD', status: 'succeeded' as const, occurredAt: at(1_642_649_111), createdAt: at(1_692_942_318) };

/** Every Stripe fixture: its envelope as verify() reports it, and its facts with values read from the file. */
const cases: { name: string; id: string; type: string; account: string | null; created: number; expected: NormalizedEvent }[] = [
  {
    name: 'stripe.checkout.session.completed.json', id: 'evt_T8nSaZqtPudigUMqnnbY4D4v', type: 'checkout.session.completed', account: null, created: 1_619_697_430,
    expected: {
      kind: 'order',
      order: orderFacts({
        orderId: 'pi_1IqxJOJDPojXS6LN9uOebAea',
        // The upstream file was hand-edited to carry an invoice id as well; it names the same payment.
        refs: ['pi_1IqxJOJDPojXS6LN9uOebAea', 'cs_live_9RBjcHiy2i5p99Tf1MYM90c3SHK1grU0E6Ae6pKWR2KPA4ZiuKiB2X1Y3X', 'in_1KJqKBJDPojXS6LNJbvLUgEy'],
        amount: 999, currency: 'EUR', customerId: 'cus_IhGfebO16cMIGN', occurredAt: at(1_619_697_430),
      }),
    },
  },
  {
    name: 'stripe.checkout.session.completed.subscription-mode.data-only.json', id: 'evt_wrapped_checkout_session_completed', type: 'checkout.session.completed', account: null, created: WRAPPED_CREATED,
    expected: {
      kind: 'order',
      order: orderFacts({
        orderId: 'sub_1LNkeSKXBGcbgpbZ7jMqOPSi:initial',
        refs: ['sub_1LNkeSKXBGcbgpbZ7jMqOPSi:initial', 'cs_test_a1UejXx8ebIdTzFolicVypUAZpOBVkoQKDbaarXoPlPVtj8p0zujPEEhjT'],
        amount: 1900, currency: 'USD', customerId: 'cus_M5wW9RPFk9xNZ5', occurredAt: at(WRAPPED_CREATED),
      }),
    },
  },
  {
    name: 'stripe.invoice.paid.json', id: 'evt_1KJrGtJDPojXS6LN15fcthM3', type: 'invoice.paid', account: null, created: 1_642_649_111,
    expected: { kind: 'not_a_sale', reason: 'invoice paid nothing (trial or credit)' }, // amount_paid is 0
  },
  {
    name: 'stripe.invoice.payment_failed.basil.data-only.json', id: 'evt_wrapped_invoice_payment_failed', type: 'invoice.payment_failed', account: null, created: WRAPPED_CREATED,
    expected: { kind: 'unsupported' },
  },
  {
    name: 'stripe.charge.refunded.json', id: 'evt_3KtQThJDPojXS6LN0E06aNxq', type: 'charge.refunded', account: null, created: 1_619_701_111,
    expected: {
      kind: 'refund_total',
      refundTotal: { refs: ['ch_3Kl36gJDPojXS6LN0DCM4A8l', 'pi_3Kl36gJDPojXS6LN02fQVtKR', 'in_1KJdKkJDPojXS6LNSwSWkZSN'], refundedAmount: 2500, currency: 'USD', occurredAt: at(1_619_701_111) },
    },
  },
  { name: 'stripe.refund.created.json', id: 'evt_1KJrGtJDPojXS6LN15fcthM3', type: 'refund.created', account: null, created: 1_642_649_111, expected: { kind: 'refund', refund: REFUND_2022 } },
  { name: 'stripe.refund.updated.json', id: 'evt_1KJrGtJDPojXS6LN15fcthM3', type: 'refund.updated', account: null, created: 1_642_649_111, expected: { kind: 'refund', refund: REFUND_2022 } },
  {
    name: 'stripe.charge.refund.updated.basil.json', id: 'evt_3RWYCFQ8iJWBZFaM1z10b8SX', type: 'charge.refund.updated', account: null, created: 1_749_108_405,
    expected: {
      kind: 'refund',
      refund: { refs: ['ch_3RWYCFQ8iJWBZFaM1R8YF07I', 'pi_3RWYCFQ8iJWBZFaM1p1gEVdI'], refundId: 're_3RWYCFQ8iJWBZFaM191ZqGD9', amount: 100, currency: 'USD', status: 'succeeded', occurredAt: at(1_749_108_405), createdAt: at(1_749_108_404) },
    },
  },
  { name: 'stripe.charge.dispute.created.json', id: 'evt_created3RWXidQ8iJWBZFaM0N9UpCe2', type: 'charge.dispute.created', account: null, created: 1_749_106_569, expected: { kind: 'dispute', dispute: { ...DISPUTE_BASIL, status: 'open' } } },
  { name: 'stripe.charge.dispute.closed.warning_closed.basil.json', id: 'evt_3RWXidQ8iJWBZFaM0N9UpCe2', type: 'charge.dispute.closed', account: null, created: 1_749_106_569, expected: { kind: 'dispute', dispute: { ...DISPUTE_BASIL, status: 'closed' } } },
  { name: 'stripe.charge.dispute.closed.won.json', id: 'evt_3OzgpDH4tiDZlIUa09cnGOsO', type: 'charge.dispute.closed', account: null, created: 1_711_724_294, expected: { kind: 'dispute', dispute: { ...DISPUTE_2020, status: 'won' } } },
  { name: 'stripe.charge.dispute.closed.lost.json', id: 'evt_3OzgpDH4tiDZlIUa09cnGOsO', type: 'charge.dispute.closed', account: null, created: 1_711_724_294, expected: { kind: 'dispute', dispute: { ...DISPUTE_2020, status: 'lost' } } },
  {
    name: 'stripe.customer.subscription.updated.json', id: 'evt_1IlavxJDPojXS6LNGNOrPWFQ', type: 'customer.subscription.updated', account: null, created: 1_619_706_820,
    expected: { kind: 'subscription', subscription: { subscriptionId: 'sub_JLEPMp81LApOJl', customerId: 'cus_IhGfebO16cMIGN', clickId: null, clientReferenceId: null } },
  },
  {
    name: 'stripe.account.application.deauthorized.json', id: 'evt_1Iu8ZfA3kq9o1aTcf3b7EknK', type: 'account.application.deauthorized', account: 'acct_1Fg9jUA3kq9o1aTc', created: 1_621_742_759,
    expected: { kind: 'account_deauthorized', accountId: 'acct_1Fg9jUA3kq9o1aTc' },
  },
];

describe('Stripe adapter: every fixture', () => {
  it('covers every stripe.* fixture', () => {
    expect(cases.map((c) => c.name)).to.have.members([
      'stripe.account.application.deauthorized.json', 'stripe.charge.dispute.closed.lost.json', 'stripe.charge.dispute.closed.warning_closed.basil.json',
      'stripe.charge.dispute.closed.won.json', 'stripe.charge.dispute.created.json', 'stripe.charge.refund.updated.basil.json', 'stripe.charge.refunded.json',
      'stripe.checkout.session.completed.json', 'stripe.checkout.session.completed.subscription-mode.data-only.json', 'stripe.customer.subscription.updated.json',
      'stripe.invoice.paid.json', 'stripe.invoice.payment_failed.basil.data-only.json', 'stripe.refund.created.json', 'stripe.refund.updated.json',
    ]);
  });

  for (const c of cases) {
    describe(c.name, () => {
      const payload = payloadOf(c.name);

      it('passes verification when correctly signed, with the event id, type, account and time', async () => {
        const event = await verified(payload);
        expect(event).to.deep.include({ id: c.id, type: c.type, account: c.account, createdAt: at(c.created) });
        expect(event.body).to.deep.equal(JSON.parse(payload));
      });

      it('refuses a tampered body, a wrong secret, a stale timestamp and a missing header', async () => {
        const header = signStripe(payload, SECRET);
        await expectInvalidSignature(stripe, { rawBody: tamper(payload), headers: { 'stripe-signature': header } }, SECRET, 'tampered');
        await expectInvalidSignature(stripe, { rawBody: Buffer.from(payload), headers: { 'stripe-signature': signStripe(payload, 'whsec_other') } }, SECRET, 'wrong secret');
        await expectInvalidSignature(stripe, { rawBody: Buffer.from(payload), headers: { 'stripe-signature': signStripe(payload, SECRET, now() - 301) } }, SECRET, 'stale');
        await expectInvalidSignature(stripe, { rawBody: Buffer.from(payload), headers: {} }, SECRET, 'no header');
      });

      it('normalises to the facts in the file', async () => {
        expect(stripe.normalize(await verified(payload))).to.deep.equal(c.expected);
      });
    });
  }

  it('accepts a delivery 299 s old: the window is Stripe’s 300 s', async () => {
    const payload = payloadOf('stripe.refund.created.json');
    const delivery = { rawBody: Buffer.from(payload), headers: { 'stripe-signature': signStripe(payload, SECRET, now() - 299) } };
    expect((await stripe.verify(delivery, SECRET)).id).to.equal('evt_1KJrGtJDPojXS6LN15fcthM3');
  });

  it('maps only sales by default; refunds and disputes are adjustments', () => {
    expect(stripe.defaultMappings).to.deep.equal([
      { event_type: 'checkout.session.completed', action: 'conversion', goal: 'purchase' },
      { event_type: 'checkout.session.async_payment_succeeded', action: 'conversion', goal: 'purchase' },
      { event_type: 'invoice.paid', action: 'conversion', goal: 'renewal' },
    ]);
  });
});
