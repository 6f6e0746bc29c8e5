import { expect } from 'chai';
import { useService } from '../support/service.js';
import { FakePaddle } from '../support/fakes/paddle.js';
import { PADDLE_WEBHOOK_SECRET, deliverPaddle, paddleAdjustment, paddleSource, paddleTransaction } from '../support/paddle-events.js';
import { signPaddle } from '../support/signing.js';
import { click, conversionsOf, logsOf, storefront } from '../support/webhooks.js';

const later = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe('Paddle webhooks', () => {
  const paddle = new FakePaddle();
  before(() => paddle.start());
  after(() => paddle.stop());
  const suite = useService(() => paddle.env());

  async function shopWithPaddle(fields: Record<string, unknown> = {}) {
    const shop = await storefront(suite.api);
    const source = await paddleSource(suite.api, shop.key, fields);
    const clickId = await click(suite.api, shop.link.slug);
    const send = (event: Record<string, any>, options: Parameters<typeof deliverPaddle>[3] = {}) => deliverPaddle(suite.api, source.id, event, options);
    const conversion = async () => (await conversionsOf(suite.api, shop.key))[0];
    return { ...shop, source, clickId, send, conversion };
  }

  it('attributes a signed transaction.completed by its custom data, with the grand total and currency', async () => {
    const { send, key, clickId, campaign, source } = await shopWithPaddle();
    const transaction = paddleTransaction({ clickId });
    const reply = await send(transaction);
    expect(reply.body).to.deep.equal({ received: true, outcome: 'attributed' });
    expect((await conversionsOf(suite.api, key))[0]).to.include({
      source_id: source.id, provider_order_id: transaction.data.id, amount: 65215, currency: 'USD', attribution: 'metadata',
      campaign_id: campaign.id, click_id: clickId, goal: 'purchase', customer_id: transaction.data.customer_id,
    });
  });

  it('refuses tampered and stale signatures with 400, logged, and accepts any matching h1', async () => {
    const { send, key, source } = await shopWithPaddle();
    const transaction = paddleTransaction();
    const tampered = JSON.stringify({ ...transaction, data: { ...transaction.data, details: { totals: { grand_total: '1', currency_code: 'USD' } } } });
    expect((await send(transaction, { body: tampered })).status).to.equal(400);
    expect((await send(transaction, { timestamp: Math.floor(Date.now() / 1000) - 301 })).status).to.equal(400);
    expect((await send(transaction, { secret: 'pdl_ntfset_wrong' })).status).to.equal(400);
    expect(await conversionsOf(suite.api, key)).to.have.length(0);
    const logged = await logsOf(suite.api, key, source.id, '&outcome=invalid_signature');
    expect(logged).to.have.length(1);
    expect(logged[0].detail).to.contain('no h1 matches the body');

    const rotating = signPaddle(JSON.stringify(transaction), PADDLE_WEBHOOK_SECRET, { before: ['0'.repeat(64)], after: ['f'.repeat(64)] });
    expect((await send(transaction, { signature: rotating })).body.outcome).to.equal('orphan_no_clickid');
  });

  it('a repeat and 8 concurrent deliveries of one event are one conversion', async () => {
    const { send, key, clickId, source } = await shopWithPaddle();
    const transaction = paddleTransaction({ clickId });
    const replies = await Promise.all(Array.from({ length: 8 }, () => send(transaction)));
    expect(replies.map((reply) => reply.status)).to.deep.equal(Array(8).fill(200));
    // A second event about the same transaction (another destination's, say) is the same sale.
    expect((await send({ ...transaction, event_id: `${transaction.event_id}x` })).body.outcome).to.equal('duplicate');
    expect(await conversionsOf(suite.api, key)).to.have.length(1);
    expect((await logsOf(suite.api, key, source.id)).map((log) => log.outcome).sort()).to.deep.equal(['attributed', ...Array(8).fill('duplicate')]);
  });

  it('a refund counts once approved: pending is logged, adjustment.updated applies it, a second refund completes it', async () => {
    const { send, clickId, conversion } = await shopWithPaddle();
    const transaction = paddleTransaction({ clickId });
    await send(transaction);
    const refund = paddleAdjustment(transaction.data.id, { totals: { total: '15215', currency_code: 'USD' } });
    const pending = await send(refund);
    expect(pending.body.outcome).to.equal('adjusted');
    expect(await conversion()).to.include({ refunded_amount: 0, status: 'paid' });
    await send({ ...refund, event_id: `${refund.event_id}u`, event_type: 'adjustment.updated', occurred_at: later(1), data: { ...refund.data, status: 'approved' } });
    expect(await conversion()).to.include({ refunded_amount: 15215, net_amount: 50000, status: 'partially_refunded' });
    const rest = paddleAdjustment(transaction.data.id, { status: 'approved', type: 'full', totals: { total: '50000', currency_code: 'USD' } });
    await send({ ...rest, occurred_at: later(2) });
    expect(await conversion()).to.include({ refunded_amount: 65215, net_amount: 0, status: 'refunded' });
  });

  it('a rejected refund changes nothing', async () => {
    const { send, clickId, conversion } = await shopWithPaddle();
    const transaction = paddleTransaction({ clickId });
    await send(transaction);
    const refund = paddleAdjustment(transaction.data.id);
    await send(refund);
    await send({ ...refund, event_id: `${refund.event_id}r`, event_type: 'adjustment.updated', occurred_at: later(1), data: { ...refund.data, status: 'rejected' } });
    expect(await conversion()).to.include({ refunded_amount: 0, status: 'paid', net_amount: 65215 });
  });

  it('a chargeback is a lost dispute and its reversal wins it back', async () => {
    const { send, clickId, conversion } = await shopWithPaddle();
    const transaction = paddleTransaction({ clickId });
    await send(transaction);
    const chargeback = paddleAdjustment(transaction.data.id, { totals: { total: '65215', currency_code: 'USD' } }, 'adjustment.created.chargeback');
    expect((await send(chargeback)).body.outcome).to.equal('adjusted');
    expect(await conversion()).to.include({ disputed_amount: 65215, net_amount: 0, status: 'disputed' });
    const reversal = paddleAdjustment(transaction.data.id, { action: 'chargeback_reverse', totals: { total: '65215', currency_code: 'USD' } }, 'adjustment.created.chargeback');
    await send({ ...reversal, occurred_at: later(1) });
    expect(await conversion()).to.include({ disputed_amount: 0, net_amount: 65215, status: 'paid' });
  });

  it('a credit is logged ignored; a refund before its transaction waits and is applied when it arrives', async () => {
    const { send, key, clickId, source, conversion } = await shopWithPaddle();
    const transaction = paddleTransaction({ clickId });
    const credit = await send(paddleAdjustment(transaction.data.id, { action: 'credit', status: 'approved' }));
    expect(credit.body.outcome).to.equal('ignored');
    const early = await send(paddleAdjustment(transaction.data.id, { status: 'approved', totals: { total: '1000', currency_code: 'USD' } }));
    expect(early.body.outcome).to.equal('pending_conversion');
    expect(await conversionsOf(suite.api, key)).to.have.length(0);
    await send(transaction);
    expect(await conversion()).to.include({ refunded_amount: 1000, status: 'partially_refunded', attribution: 'metadata' });
    expect((await logsOf(suite.api, key, source.id)).map((log) => log.outcome)).to.deep.equal(['attributed', 'pending_conversion', 'ignored']);
  });

  it('a renewal (origin subscription_recurring) is a conversion with goal renewal, attributed by the custom data Paddle copied', async () => {
    const { send, key, clickId } = await shopWithPaddle();
    await send(paddleTransaction({ clickId, fixture: 'transaction.completed.subscription_renewal' }));
    expect((await conversionsOf(suite.api, key))[0]).to.include({ goal: 'renewal', amount: 950, currency: 'GBP', attribution: 'metadata', click_id: clickId });
  });

  it('transaction.paid is logged ignored; the sale is its transaction.completed', async () => {
    const { send, key } = await shopWithPaddle();
    const transaction = paddleTransaction();
    const paid = await send({ ...transaction, event_type: 'transaction.paid', data: { ...transaction.data, status: 'paid' } });
    expect(paid.body.outcome).to.equal('ignored');
    expect(await conversionsOf(suite.api, key)).to.have.length(0);
  });

  it('a discount code credits the campaign that lists it, looked up with the source key', async () => {
    const apiKey = paddle.newKey();
    const { send, key, campaign, couponCode } = await shopWithPaddle({ api_key: apiKey });
    const discount = paddle.addDiscount(couponCode.toLowerCase());
    await send(paddleTransaction({ data: { discount_id: discount } }));
    expect((await conversionsOf(suite.api, key))[0]).to.include({ attribution: 'coupon', campaign_id: campaign.id });
    expect(paddle.to('GET', `/discounts/${discount}`)).to.have.length(1);
  });
});
