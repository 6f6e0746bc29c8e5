import { expect } from 'chai';
import { createPaddleProvider } from '../../src/providers/paddle/index.js';
import type { NormalizedEvent, ProviderEvent } from '../../src/providers/provider.js';
import { signPaddle } from '../support/signing.js';
import { expectInvalidSignature, fixtureCopy, orderFacts, rawFixture, tamper } from '../support/provider-fixtures.js';

const paddle = createPaddleProvider({ apiBase: 'https://api.paddle.com' });
const SECRET = 'pdl_ntfset_01h8bkrzymw3tn4b0ns8fqgwm4_unitTestSecretValue0123456789';
const OTHER = 'a'.repeat(64);

const delivered = (payload: string | Buffer, options: Parameters<typeof signPaddle>[2] = {}, secret = SECRET) => ({
  rawBody: Buffer.from(payload),
  headers: { 'paddle-signature': signPaddle(payload, secret, options) },
});
const verified = (payload: string): Promise<ProviderEvent> => paddle.verify(delivered(payload), SECRET);
const now = () => Math.floor(Date.now() / 1000);

const at = (iso: string) => new Date(iso);
const refund = (status: 'pending' | 'succeeded', occurredAt: string) => ({
  kind: 'refund' as const,
  refund: {
    refs: ['txn_01h8bxpvx398a7zbawb77y0kp5'], refundId: 'adj_01h8c6tbrkpdd7vx61w7b1r0ap', amount: 100, currency: 'USD', status,
    occurredAt: at(occurredAt), createdAt: at('2023-08-21T14:08:43.297512Z'),
  },
});

/** Every Paddle fixture with its facts. */
const cases: { name: string; type: string; id: string; expected: NormalizedEvent }[] = [
  {
    name: 'paddle.transaction.completed.json', type: 'transaction.completed', id: 'evt_01h8e1jxjnw9ra6zarhnz1a7y1',
    expected: {
      kind: 'order',
      order: orderFacts({
        orderId: 'txn_01h8dzxgkvdwemdhbpcapj2tbj', refs: ['txn_01h8dzxgkvdwemdhbpcapj2tbj'], amount: 65215, currency: 'USD', clickId: 'CLICK_ID',
        customerId: 'ctm_01h8e18bxp9hby49dnm8ewf0m0', occurredAt: at('2023-08-22T07:15:44.296865Z'),
      }),
    },
  },
  {
    name: 'paddle.transaction.completed.subscription_renewal.json', type: 'transaction.completed', id: 'evt_01hywqk7y8qfzj69z3pdvz34qt',
    expected: {
      kind: 'order',
      order: orderFacts({
        orderId: 'txn_01hywqfe6yxhxcsfb4ays8mqt3', refs: ['txn_01hywqfe6yxhxcsfb4ays8mqt3'], amount: 950, currency: 'GBP', clickId: 'CLICK_ID',
        customerId: 'ctm_01hszn72m8kqyqm8g1jxwxc3t3', occurredAt: at('2024-05-27T09:53:02.174288Z'), renewal: true,
      }),
    },
  },
  { name: 'paddle.adjustment.created.refund.json', type: 'adjustment.created', id: 'evt_01h8c6tc8aa58zqj6h8a13r103', expected: refund('pending', '2023-08-21T14:08:43.786457Z') },
  { name: 'paddle.adjustment.updated.refund_approved.json', type: 'adjustment.updated', id: 'evt_01h8c6wz4ac017hxdehrgdvpz4', expected: refund('succeeded', '2023-08-21T14:10:08.650443Z') },
  {
    name: 'paddle.adjustment.created.chargeback.json', type: 'adjustment.created', id: 'evt_02h8441jx8x1q971q9ksksqh82',
    expected: {
      kind: 'dispute',
      dispute: { refs: ['txn_01hvcc93znj3mpqt1tenkjb04y'], disputeId: 'chargeback:txn_01hvcc93znj3mpqt1tenkjb04y', amount: 100, currency: 'USD', status: 'lost', occurredAt: at('2023-08-18T10:46:18.792661Z') },
    },
  },
];

describe('Paddle adapter: every fixture', () => {
  for (const c of cases) {
    describe(c.name, () => {
      const payload = rawFixture(c.name);

      it('passes verification in its signed form; the id is the event id', async () => {
        const event = await verified(payload);
        expect(event).to.deep.include({ id: c.id, type: c.type, account: null });
        expect(event.body).to.deep.equal(JSON.parse(payload));
      });

      it('accepts any matching h1, wherever it stands among others', async () => {
        for (const options of [{ before: [OTHER] }, { after: [OTHER] }, { before: [OTHER, 'b'.repeat(64)], after: ['c'.repeat(64)] }]) {
          expect((await paddle.verify(delivered(payload, options), SECRET)).id).to.equal(c.id);
        }
      });

      it('refuses a tampered body, a wrong secret, a ts more than 300 s away, and broken headers', async () => {
        await expectInvalidSignature(paddle, { ...delivered(payload), rawBody: tamper(payload) }, SECRET, 'tampered');
        await expectInvalidSignature(paddle, delivered(payload, {}, 'pdl_ntfset_not_the_secret'), SECRET, 'wrong secret');
        await expectInvalidSignature(paddle, delivered(payload, { timestamp: now() - 301 }), SECRET, 'stale');
        await expectInvalidSignature(paddle, delivered(payload, { timestamp: now() + 301 }), SECRET, 'future');
        expect((await paddle.verify(delivered(payload, { timestamp: now() - 290 }), SECRET)).id, 'within 300 s').to.equal(c.id);
        const only = (header: string) => ({ rawBody: Buffer.from(payload), headers: { 'paddle-signature': header } });
        await expectInvalidSignature(paddle, { rawBody: Buffer.from(payload), headers: {} }, SECRET, 'no header');
        await expectInvalidSignature(paddle, only(`ts=${now()}`), SECRET, 'no h1');
        await expectInvalidSignature(paddle, only(`h1=${OTHER}`), SECRET, 'no ts');
        await expectInvalidSignature(paddle, only(`ts=${now()};h1=${OTHER}`), SECRET, 'only a wrong h1');
      });

      it('normalises to the facts in the file', async () => {
        expect(paddle.normalize(await verified(payload))).to.deep.equal(c.expected);
      });
    });
  }
});

describe('Paddle adapter: rules', () => {
  const normalize = async (event: Record<string, any>) => paddle.normalize(await verified(JSON.stringify(event)));
  const adjustment = (fields: Record<string, unknown>) => {
    const event = fixtureCopy('paddle.adjustment.created.refund.json');
    event.data = { ...event.data, ...fields };
    return event;
  };

  it('reads adjustments: a rejected refund counts nothing, a chargeback reversal wins its chargeback, credits move no money', async () => {
    expect(await normalize(adjustment({ status: 'rejected' }))).to.nested.include({ 'refund.status': 'canceled' });
    expect(await normalize(adjustment({ action: 'chargeback_reverse', status: 'approved' }))).to.nested.include({
      'dispute.status': 'won', 'dispute.disputeId': 'chargeback:txn_01h8bxpvx398a7zbawb77y0kp5',
    });
    expect(await normalize(adjustment({ action: 'credit', status: 'approved' }))).to.deep.equal({ kind: 'not_a_sale', reason: 'a credit adjustment moves no money the customer paid' });
    expect((await normalize(adjustment({ action: 'chargeback_warning', status: 'approved' }))).kind).to.equal('not_a_sale');
  });

  it('transaction.paid is not the sale; an amount that is no number of minor units is refused by name', async () => {
    const paid = fixtureCopy('paddle.transaction.completed.json');
    paid.event_type = 'transaction.paid';
    expect((await normalize(paid)).kind).to.equal('not_a_sale');
    const odd = fixtureCopy('paddle.transaction.completed.json');
    odd.data.details.totals.grand_total = '652.15';
    expect(((await normalize(odd)) as { order: { amount: number } }).order.amount).to.be.NaN;
  });

  it('a discount is looked up by its id', async () => {
    const discounted = fixtureCopy('paddle.transaction.completed.json');
    discounted.data.discount_id = 'dsc_01h8e1jxjnw9ra6zarhnz1a7y1';
    expect(await normalize(discounted)).to.nested.include({ 'order.couponLookup': 'dsc_01h8e1jxjnw9ra6zarhnz1a7y1' });
  });

  it('refuses a signed body that is not a Paddle event', async () => {
    await expectInvalidSignature(paddle, delivered('{"hello": "world"}'), SECRET, 'no event id');
  });
});
