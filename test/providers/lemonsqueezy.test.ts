import { expect } from 'chai';
import { createLemonSqueezyProvider } from '../../src/providers/lemonsqueezy/index.js';
import type { NormalizedEvent, ProviderEvent } from '../../src/providers/provider.js';
import { signLemonSqueezy } from '../support/signing.js';
import { expectInvalidSignature, fixtureCopy, orderFacts, orderOf, rawFixture, tamper } from '../support/provider-fixtures.js';

const lemon = createLemonSqueezyProvider({ apiBase: 'https://api.lemonsqueezy.com' });
const SECRET = 'lemon_unit_secret_0123';

const delivered = (payload: string | Buffer, secret = SECRET) => ({ rawBody: Buffer.from(payload), headers: { 'x-signature': signLemonSqueezy(payload, secret) } });
const verified = (payload: string): Promise<ProviderEvent> => lemon.verify(delivered(payload), SECRET);

const at = (iso: string) => new Date(iso);

/** Every Lemon Squeezy fixture with its facts. */
const cases: { name: string; type: string; id: string; testMode: boolean; expected: NormalizedEvent }[] = [
  {
    name: 'lemonsqueezy.order_created.json', type: 'order_created', testMode: true,
    id: 'order_created:2773413:2024-05-27T19:38:00.000000Z',
    expected: {
      kind: 'order',
      order: orderFacts({
        orderId: '2773413', refs: ['2773413'], amount: 100, currency: 'USD', clickId: 'CLICK_ID', customerId: '1628498', occurredAt: at('2024-05-27T19:38:00Z'),
      }),
    },
  },
  {
    // A partial refund: `status` still says paid; the cumulative refunded_amount is what counts.
    name: 'lemonsqueezy.order_refunded.json', type: 'order_refunded', testMode: false,
    id: 'order_refunded:1:2021-08-17T09:45:53.000000Z:100',
    expected: { kind: 'refund_total', refundTotal: { refs: ['1'], refundedAmount: 100, currency: 'USD', occurredAt: at('2021-08-17T09:45:53Z') } },
  },
  {
    name: 'lemonsqueezy.subscription_created.json', type: 'subscription_created', testMode: true,
    id: 'subscription_created:1652029:2025-11-19T11:09:30.000000Z',
    expected: { kind: 'subscription', subscription: { subscriptionId: '1652029', customerId: '7137295', clickId: 'CLICK_ID', clientReferenceId: null } },
  },
  {
    // The first payment of subscription 1652029: the same payment as its order, found through the subscription.
    name: 'lemonsqueezy.subscription_payment_success.json', type: 'subscription_payment_success', testMode: true,
    id: 'subscription_payment_success:5113449:2025-11-19T11:09:31.000000Z',
    expected: {
      kind: 'order',
      order: {
        ...orderFacts({
          orderId: 'subscription-invoice:5113449', refs: ['subscription-invoice:5113449'], amount: 57599, currency: 'PLN', clickId: 'CLICK_ID',
          customerId: '7137295', occurredAt: at('2025-11-19T11:09:26Z'), initialSubscriptionPayment: true, paymentLookup: '1652029',
        }),
        paymentLookupRequired: true,
      },
    },
  },
  {
    name: 'lemonsqueezy.subscription_payment_refunded.json', type: 'subscription_payment_refunded', testMode: false,
    id: 'subscription_payment_refunded:1:2023-01-18T12:16:24.000000Z:999',
    expected: { kind: 'refund_total', refundTotal: { refs: ['subscription-invoice:1'], refundedAmount: 999, currency: 'USD', occurredAt: at('2023-01-18T12:16:24Z') } },
  },
];

describe('Lemon Squeezy adapter: every fixture', () => {
  for (const c of cases) {
    describe(c.name, () => {
      const payload = rawFixture(c.name);

      it('passes verification in its signed form; the id is the event, its object and the object time', async () => {
        const event = await verified(payload);
        expect(event).to.deep.include({ id: c.id, type: c.type, account: null, testMode: c.testMode });
        expect(event.body).to.deep.equal(JSON.parse(payload));
      });

      it('refuses a tampered body, a wrong secret, and a missing or malformed X-Signature', async () => {
        await expectInvalidSignature(lemon, { ...delivered(payload), rawBody: tamper(payload) }, SECRET, 'tampered');
        await expectInvalidSignature(lemon, delivered(payload, 'not_the_secret'), SECRET, 'wrong secret');
        await expectInvalidSignature(lemon, { rawBody: Buffer.from(payload), headers: {} }, SECRET, 'no header');
        await expectInvalidSignature(lemon, { rawBody: Buffer.from(payload), headers: { 'x-signature': 'abc' } }, SECRET, 'not a digest');
        const upper = { rawBody: Buffer.from(payload), headers: { 'x-signature': signLemonSqueezy(payload, SECRET).toUpperCase() } };
        expect((await lemon.verify(upper, SECRET)).type, 'hex in capitals is the same digest').to.equal(c.type);
      });

      it('normalises to the facts in the file', async () => {
        expect(lemon.normalize(await verified(payload))).to.deep.equal(c.expected);
      });
    });
  }
});

describe('Lemon Squeezy adapter: rules', () => {
  const normalize = async (event: Record<string, any>) => lemon.normalize(await verified(JSON.stringify(event)));

  it('refuses a signed body that is not a Lemon Squeezy event', async () => {
    await expectInvalidSignature(lemon, delivered('{"hello": "world"}'), SECRET, 'no event name');
    await expectInvalidSignature(lemon, delivered('not json'), SECRET, 'not JSON');
  });

  it('tells two refunds of one order apart even when the object time did not move', async () => {
    const first = fixtureCopy('lemonsqueezy.order_refunded.json');
    const second = fixtureCopy('lemonsqueezy.order_refunded.json');
    second.data.attributes.refunded_amount = 1199;
    expect((await verified(JSON.stringify(first))).id).to.not.equal((await verified(JSON.stringify(second))).id);
  });

  it('judges a refund by refunded_amount, whatever the status says', async () => {
    const partial = fixtureCopy('lemonsqueezy.order_refunded.json');
    partial.data.attributes.status = 'partial_refund';
    expect(await normalize(partial)).to.deep.include({ kind: 'refund_total' });
    expect(((await normalize(partial)) as { refundTotal: { refundedAmount: number } }).refundTotal.refundedAmount).to.equal(100);
    // An older payload without the figure: a refunded order counts in full, anything else is not read.
    const full = fixtureCopy('lemonsqueezy.order_refunded.json');
    delete full.data.attributes.refunded_amount;
    full.data.attributes.refunded = true;
    expect(((await normalize(full)) as { refundTotal: { refundedAmount: number } }).refundTotal.refundedAmount).to.equal(1199);
    delete partial.data.attributes.refunded_amount;
    expect(await normalize(partial)).to.deep.equal({ kind: 'not_a_sale', reason: 'a refund without its refunded amount' });
  });

  it('a later subscription payment is a renewal, not looked up; unpaid and free orders are no sale', async () => {
    const renewal = fixtureCopy('lemonsqueezy.subscription_payment_success.json');
    renewal.data.attributes.billing_reason = 'renewal';
    expect(orderOf(await normalize(renewal))).to.include({ renewal: true, initialSubscriptionPayment: false, paymentLookup: null, paymentLookupRequired: false });
    const pending = fixtureCopy('lemonsqueezy.order_created.json');
    pending.data.attributes.status = 'pending';
    expect(await normalize(pending)).to.deep.equal({ kind: 'not_a_sale', reason: 'order is pending' });
    const free = fixtureCopy('lemonsqueezy.order_created.json');
    free.data.attributes.total = 0;
    expect(await normalize(free)).to.deep.equal({ kind: 'not_a_sale', reason: 'order total is zero' });
  });

  it('a discounted order looks its codes up by the order; a click id sent as a number is read as text', async () => {
    const discounted = fixtureCopy('lemonsqueezy.order_created.json');
    discounted.data.attributes.discount_total = 20;
    discounted.meta.custom_data.synaptyx_clickid = 42;
    expect(orderOf(await normalize(discounted))).to.include({ couponLookup: '2773413', clickId: '42' });
  });
});
