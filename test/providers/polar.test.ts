import { expect } from 'chai';
import { createPolarProvider } from '../../src/providers/polar/index.js';
import type { NormalizedEvent, ProviderEvent, RefundFacts } from '../../src/providers/provider.js';
import { signPolar } from '../support/signing.js';
import { expectInvalidSignature, fixtureCopy, orderFacts, orderOf, rawFixture, tamper, type Fixture } from '../support/provider-fixtures.js';

const polar = createPolarProvider({ apiBase: 'https://api.polar.sh' });
/** The form Polar shows the merchant, pasted as is. */
const SECRET = 'polar_whs_unit_test_secret_0123456789';
/** The Standard Webhooks form (`whsec_` + base64 key), which validateEvent accepts too. */
const STANDARD_SECRET = `whsec_${Buffer.from('another-key-of-32-bytes-for-test').toString('base64')}`;

function delivered(payload: string, secret = SECRET, options: { id?: string; timestamp?: Date } = {}) {
  return { rawBody: Buffer.from(payload), headers: signPolar(payload, secret, options) };
}

const verified = (payload: string, options: { id?: string; timestamp?: Date } = {}): Promise<ProviderEvent> => polar.verify(delivered(payload, SECRET, options), SECRET);
const normalized = async (event: Fixture): Promise<NormalizedEvent> => polar.normalize(await verified(JSON.stringify(event)));

const ORDER_ID = '12dfd86e-0b00-4c24-b4b4-a9e25e2a6fa8';
const CUSTOMER_ID = '992fae2a-2a17-4b7a-8d9e-e287cf90131b';
const SUBSCRIPTION_ID = '2eb179d6-f98f-404f-82ed-1f58df43ab75';
const SENT = new Date('2026-01-01T00:00:00Z');
const purchase = orderFacts({ orderId: ORDER_ID, refs: [ORDER_ID], amount: 9720, currency: 'USD', customerId: CUSTOMER_ID, refundedAmount: null, occurredAt: SENT });
const refund: RefundFacts = { refs: [ORDER_ID], refundId: 'dd291a37-671b-4c31-a103-c2dca88eddaf', amount: 9720, currency: 'USD', status: 'succeeded', occurredAt: SENT, createdAt: SENT };
const subscription: NormalizedEvent = { kind: 'subscription', subscription: { subscriptionId: SUBSCRIPTION_ID, customerId: CUSTOMER_ID, clickId: null, clientReferenceId: null } };

/** Every Polar fixture with its facts (amounts are net + tax: 9000 + 720). */
const cases: { name: string; type: string; expected: NormalizedEvent }[] = [
  { name: 'polar.order.created.json', type: 'order.created', expected: { kind: 'order', order: purchase } },
  { name: 'polar.order.paid.json', type: 'order.paid', expected: { kind: 'order', order: purchase } },
  { name: 'polar.order.updated.json', type: 'order.updated', expected: { kind: 'order', order: purchase } },
  { name: 'polar.order.refunded.json', type: 'order.refunded', expected: { kind: 'order', order: { ...purchase, refundedAmount: 9720 } } },
  {
    name: 'polar.order.paid.subscription_cycle.json', type: 'order.paid',
    expected: { kind: 'order', order: { ...purchase, orderId: '622a4c7e-87f2-4cae-8a7f-03c0c2af315c', refs: ['622a4c7e-87f2-4cae-8a7f-03c0c2af315c'], renewal: true } },
  },
  { name: 'polar.refund.created.json', type: 'refund.created', expected: { kind: 'refund', refund } },
  { name: 'polar.refund.updated.json', type: 'refund.updated', expected: { kind: 'refund', refund } },
  { name: 'polar.subscription.created.json', type: 'subscription.created', expected: subscription },
  { name: 'polar.subscription.updated.json', type: 'subscription.updated', expected: subscription },
  { name: 'polar.subscription.canceled.json', type: 'subscription.canceled', expected: subscription },
];

describe('Polar adapter: every fixture', () => {
  for (const c of cases) {
    describe(c.name, () => {
      const payload = rawFixture(c.name);

      it('passes verification with either secret form; the id is the webhook-id', async () => {
        const event = await verified(payload, { id: 'msg_unit_1' });
        expect(event).to.deep.include({ id: 'msg_unit_1', type: c.type, account: null, createdAt: SENT });
        expect(event.body).to.deep.equal(JSON.parse(payload));
        expect((await polar.verify(delivered(payload, STANDARD_SECRET), STANDARD_SECRET)).type).to.equal(c.type);
      });

      it('refuses a tampered body, a wrong secret, a stale or future timestamp and missing headers', async () => {
        const good = delivered(payload);
        await expectInvalidSignature(polar, { ...good, rawBody: tamper(payload) }, SECRET, 'tampered');
        await expectInvalidSignature(polar, delivered(payload, 'polar_whs_not_the_right_one'), SECRET, 'wrong secret');
        await expectInvalidSignature(polar, delivered(payload, STANDARD_SECRET), SECRET, 'the other key');
        await expectInvalidSignature(polar, delivered(payload, SECRET, { timestamp: new Date(Date.now() - 301_000) }), SECRET, 'stale');
        await expectInvalidSignature(polar, delivered(payload, SECRET, { timestamp: new Date(Date.now() + 301_000) }), SECRET, 'future');
        await expectInvalidSignature(polar, { rawBody: Buffer.from(payload), headers: {} }, SECRET, 'no headers');
      });

      it('normalises to the facts in the file', async () => {
        expect(polar.normalize(await verified(payload))).to.deep.equal(c.expected);
      });
    });
  }

  it('maps the order events as purchases; the order id makes them one sale', () => {
    expect(polar.defaultMappings).to.deep.equal(['order.paid', 'order.created', 'order.updated', 'order.refunded'].map((event_type) => ({ event_type, action: 'conversion', goal: 'purchase' })));
  });
});

/** MODIFIED copies of the schema-built fixtures; each test names what it changed. */
function order(name: string, fields: Fixture): Fixture {
  const event = fixtureCopy(name);
  return { ...event, data: { ...event.data, ...fields } };
}

describe('Polar adapter: modified fixtures', () => {
  it('reads the click id and reference_id from the order metadata (modified: metadata)', async () => {
    const result = orderOf(await normalized(order('polar.order.paid.json', { metadata: { synaptyx_clickid: 'clk_1', reference_id: 'clk_ref' } })));
    expect(result).to.include({ clickId: 'clk_1', clientReferenceId: 'clk_ref' });
  });

  it('a renewal order falls back to its subscription metadata (modified: subscription.metadata)', async () => {
    const cycle = fixtureCopy('polar.order.paid.subscription_cycle.json').data;
    const result = orderOf(await normalized(order('polar.order.paid.subscription_cycle.json', { subscription: { ...cycle.subscription, metadata: { synaptyx_clickid: 'clk_sub', reference_id: 'clk_subref' } } })));
    expect(result).to.include({ clickId: 'clk_sub', clientReferenceId: 'clk_subref', renewal: true });
  });

  it('reads the discount code the order carries (modified: discount.code)', async () => {
    const base = fixtureCopy('polar.order.paid.json').data;
    const result = orderOf(await normalized(order('polar.order.paid.json', { discount: { ...base.discount, code: 'LAUNCH20' } })));
    expect(result).to.deep.include({ couponCodes: ['LAUNCH20'], couponLookup: null });
    expect(await polar.resolveCouponCodes(result, { apiKey: 'polar_oat_unused' })).to.deep.equal([]);
  });

  it('a pending order and a zero total are no sale; a partial refund is a sale with its refund (modified: status, amounts)', async () => {
    expect(await normalized(order('polar.order.created.json', { status: 'pending', paid: false }))).to.deep.equal({ kind: 'not_a_sale', reason: 'order is pending' });
    expect(await normalized(order('polar.order.paid.json', { total_amount: 0, net_amount: 0, tax_amount: 0 }))).to.deep.equal({ kind: 'not_a_sale', reason: 'order total is zero' });
    const partial = order('polar.order.updated.json', { status: 'partially_refunded', refunded_amount: 1000, refunded_tax_amount: 80 });
    expect(orderOf(await normalized(partial))).to.include({ refundedAmount: 1080, amount: 9720 });
  });

  it('tolerates the undocumented legacy keys real payloads carry (modified: amount, user_id, user, product_price_id...)', async () => {
    const extras = { amount: 9000, user_id: 'u_1', user: { id: 'u_1' }, product_price_id: 'pp_1', from_balance_amount: 0 };
    expect(orderOf(await normalized(order('polar.order.paid.json', extras)))).to.deep.equal(purchase);
  });

  it('a pending refund, and a refund naming no order (modified: status, order_id)', async () => {
    expect(await normalized(order('polar.refund.created.json', { status: 'pending' }))).to.deep.nested.include({ 'refund.status': 'pending', 'refund.amount': 9720 });
    expect(await normalized(order('polar.refund.updated.json', { order_id: null }))).to.deep.equal({ kind: 'not_a_sale', reason: 'refund names no order' });
  });

  it('remembers a subscription’s click id and reference (modified: metadata, type subscription.active)', async () => {
    const event = { ...order('polar.subscription.created.json', { metadata: { synaptyx_clickid: 'clk_s', reference_id: 'ref_s' } }), type: 'subscription.active' };
    expect(await normalized(event)).to.deep.equal({ kind: 'subscription', subscription: { subscriptionId: SUBSCRIPTION_ID, customerId: CUSTOMER_ID, clickId: 'clk_s', clientReferenceId: 'ref_s' } });
  });

  it('accepts a signed type the SDK does not know yet as unsupported, but only when signed (modified: type)', async () => {
    const payload = JSON.stringify({ ...fixtureCopy('polar.order.paid.json'), type: 'order.something_new' });
    expect(polar.normalize(await verified(payload))).to.deep.equal({ kind: 'unsupported' });
    await expectInvalidSignature(polar, delivered(payload, 'polar_whs_not_the_right_one'), SECRET, 'unknown type, wrong secret');
    expect(polar.normalize(await verified(JSON.stringify({ ...fixtureCopy('polar.order.paid.json'), type: 'checkout.created' })))).to.deep.equal({ kind: 'unsupported' });
  });

  it('reads header names in any case, and takes the time from webhook-timestamp without a body timestamp (modified)', async () => {
    const event = fixtureCopy('polar.refund.created.json');
    delete event.timestamp;
    const payload = JSON.stringify(event);
    const sent = new Date(Math.floor(Date.now() / 1000) * 1000);
    const headers = Object.fromEntries(Object.entries(signPolar(payload, SECRET, { id: 'msg_case', timestamp: sent })).map(([k, v]) => [k.toUpperCase(), v]));
    expect(await polar.verify({ rawBody: Buffer.from(payload), headers }, SECRET)).to.deep.include({ id: 'msg_case', createdAt: sent });
  });
});
