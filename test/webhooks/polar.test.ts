import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { useService } from '../support/service.js';
import { Api } from '../support/http.js';
import { fixture } from '../support/stripe-events.js';
import { click, conversionsOf, deliverPolar, logsOf, polarSource, storefront } from '../support/webhooks.js';

/** A Polar event from the schema-built fixtures, with a fresh order id and the given order fields. */
function orderEvent(name: string, fields: Record<string, unknown> = {}) {
  const event = fixture(name);
  return { ...event, data: { ...event.data, id: randomUUID(), customer_id: randomUUID(), ...fields } };
}

describe('Polar webhooks', () => {
  const suite = useService();

  async function shopWithPolar() {
    const shop = await storefront(suite.api);
    const source = await polarSource(suite.api, shop.key);
    const clickId = await click(suite.api, shop.link.slug);
    return { ...shop, source, clickId, send: (event: unknown, options = {}) => deliverPolar(suite.api, source.id, event, options) };
  }

  it('attributes order.paid by metadata.synaptyx_clickid, amounts with tax and the currency upper-cased', async () => {
    const { send, key, clickId, campaign, source } = await shopWithPolar();
    const reply = await send(orderEvent('polar.order.paid.json', { metadata: { synaptyx_clickid: clickId } }));
    expect(reply.status).to.equal(200);
    const [conversion] = await conversionsOf(suite.api, key);
    expect(conversion).to.include({ amount: 9720, currency: 'USD', attribution: 'metadata', campaign_id: campaign.id, goal: 'purchase', source_id: source.id });
  });

  it('attributes a checkout link sale by metadata.reference_id', async () => {
    const { send, key, clickId } = await shopWithPolar();
    await send(orderEvent('polar.order.paid.json', { metadata: { reference_id: clickId } }));
    expect((await conversionsOf(suite.api, key))[0]).to.include({ attribution: 'client_reference_id', click_id: clickId });
  });

  it('attributes a discount code to its campaign', async () => {
    const { send, key, campaign, couponCode } = await shopWithPolar();
    const base = fixture('polar.order.paid.json').data;
    await send(orderEvent('polar.order.paid.json', { discount: { ...base.discount, code: couponCode.toLowerCase() } }));
    expect((await conversionsOf(suite.api, key))[0]).to.include({ attribution: 'coupon', campaign_id: campaign.id });
  });

  it('an archived campaign releases its coupon codes: no longer credited, and free for another campaign', async () => {
    const { send, key, campaign, couponCode } = await shopWithPolar();
    const discount = { ...fixture('polar.order.paid.json').data.discount, code: couponCode };
    expect((await suite.api.delete(`/api/campaigns/${campaign.id}`, { key })).body.coupon_codes).to.deep.equal([]);
    await send(orderEvent('polar.order.paid.json', { discount }));
    expect((await conversionsOf(suite.api, key))[0]).to.include({ attribution: null, campaign_id: null });
    const successor = await suite.api.post('/api/campaigns', { name: 'Summer', coupon_codes: [couponCode] }, { key });
    expect(successor.status).to.equal(201);
    await send(orderEvent('polar.order.paid.json', { discount }));
    expect((await conversionsOf(suite.api, key))[0]).to.include({ attribution: 'coupon', campaign_id: successor.body.id });
    const reuse = await suite.api.patch(`/api/campaigns/${campaign.id}`, { coupon_codes: ['ANOTHER'] }, { key });
    expect(reuse.status).to.equal(409);
  });

  it('counts order.created, order.paid and order.updated of one order once', async () => {
    const { send, key, clickId, source } = await shopWithPolar();
    const paid = orderEvent('polar.order.paid.json', { metadata: { synaptyx_clickid: clickId } });
    await send({ ...paid, type: 'order.created' });
    await send(paid);
    await send({ ...paid, type: 'order.updated' });
    expect(await conversionsOf(suite.api, key)).to.have.length(1);
    expect((await logsOf(suite.api, key, source.id)).map((log) => log.outcome)).to.deep.equal(['duplicate', 'duplicate', 'attributed']);
  });

  it('ignores an order that is not paid yet', async () => {
    const { send, key, source } = await shopWithPolar();
    await send(orderEvent('polar.order.created.json', { status: 'pending', paid: false }));
    expect(await conversionsOf(suite.api, key)).to.have.length(0);
    expect((await logsOf(suite.api, key, source.id))[0].outcome).to.equal('ignored');
  });

  it('a renewal (subscription_cycle) is a new conversion with goal renewal, following the subscription click', async () => {
    const { send, key, clickId } = await shopWithPolar();
    const cycle = fixture('polar.order.paid.subscription_cycle.json').data;
    await send(orderEvent('polar.order.paid.subscription_cycle.json', { subscription: { ...cycle.subscription, metadata: { synaptyx_clickid: clickId } } }));
    expect((await conversionsOf(suite.api, key))[0]).to.include({ goal: 'renewal', attribution: 'metadata', click_id: clickId });
  });

  it('remembers a subscription customer so their later orders follow the click', async () => {
    const { send, key, clickId } = await shopWithPolar();
    const subscription = fixture('polar.subscription.created.json');
    const customerId = randomUUID();
    await send({ ...subscription, data: { ...subscription.data, customer_id: customerId, metadata: { synaptyx_clickid: clickId } } });
    await send(orderEvent('polar.order.paid.json', { customer_id: customerId, metadata: {} }));
    expect((await conversionsOf(suite.api, key))[0]).to.include({ attribution: 'customer', click_id: clickId });
  });

  it('order.refunded sets the cumulative refund; refund events count each refund once', async () => {
    const { send, key, clickId } = await shopWithPolar();
    const paid = orderEvent('polar.order.paid.json', { metadata: { synaptyx_clickid: clickId } });
    await send(paid);
    const refund = fixture('polar.refund.created.json');
    const partial = { ...refund, data: { ...refund.data, id: randomUUID(), order_id: paid.data.id, amount: 1000, tax_amount: 80 } };
    await send(partial);
    await send({ ...partial, type: 'refund.updated' });
    expect((await conversionsOf(suite.api, key))[0]).to.include({ refunded_amount: 1080, status: 'partially_refunded' });
    await send({ ...paid, type: 'order.refunded', data: { ...paid.data, status: 'refunded', refunded_amount: 9000, refunded_tax_amount: 720 } });
    expect((await conversionsOf(suite.api, key))[0]).to.include({ refunded_amount: 9720, net_amount: 0, status: 'refunded' });
  });

  it('a refund for an order not seen yet waits for it', async () => {
    const { send, key, clickId } = await shopWithPolar();
    const paid = orderEvent('polar.order.paid.json', { metadata: { synaptyx_clickid: clickId } });
    const refund = fixture('polar.refund.created.json');
    const early = await send({ ...refund, data: { ...refund.data, id: randomUUID(), order_id: paid.data.id } });
    expect(early.body).to.include({ outcome: 'pending_conversion' });
    await send(paid);
    expect((await conversionsOf(suite.api, key))[0]).to.include({ refunded_amount: 9720, status: 'refunded' });
  });

  it('de-duplicates by webhook-id and refuses bad or stale signatures', async () => {
    const { send, key, source } = await shopWithPolar();
    const paid = orderEvent('polar.order.paid.json');
    const id = `msg_${randomUUID()}`;
    expect((await send(paid, { id })).body).to.include({ outcome: 'orphan_no_clickid' });
    expect((await send(paid, { id })).body).to.include({ outcome: 'duplicate' });
    expect((await send(paid, { secret: 'polar_whs_not_the_right_one' })).status).to.equal(400);
    expect((await send(paid, { timestamp: new Date(Date.now() - 10 * 60_000) })).status).to.equal(400);
    expect((await send(paid, { body: JSON.stringify({ ...paid, data: { ...paid.data, total_amount: 1 } }) })).status).to.equal(400);
    expect(await conversionsOf(suite.api, key)).to.have.length(1);
    expect(await logsOf(suite.api, key, source.id, '&outcome=invalid_signature'), 'one row per burst').to.have.length(1);
  });
});
