import { expect } from 'chai';
import { useService } from '../support/service.js';
import { FakeLemonSqueezy, lemonId } from '../support/fakes/lemonsqueezy.js';
import { deliverLemon, lemonEvent, lemonSource } from '../support/lemonsqueezy-events.js';
import { click, conversionsOf, logsOf, storefront } from '../support/webhooks.js';

const later = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe('Lemon Squeezy webhooks', () => {
  const lemon = new FakeLemonSqueezy();
  before(() => lemon.start());
  after(() => lemon.stop());
  beforeEach(() => {
    lemon.down = false;
  });
  const suite = useService(() => lemon.env());

  async function shopWithLemon(options: { testMode?: boolean } = {}) {
    const shop = await storefront(suite.api);
    const apiKey = lemon.newKey(options);
    const source = await lemonSource(suite.api, shop.key, apiKey);
    const clickId = await click(suite.api, shop.link.slug);
    const send = (event: Record<string, any>, options: Parameters<typeof deliverLemon>[3] = {}) => deliverLemon(suite.api, source.id, event, options);
    return { ...shop, apiKey, source, clickId, send };
  }

  it('attributes a signed order_created by its custom data, with the order total and currency', async () => {
    const { send, key, clickId, campaign, source } = await shopWithLemon();
    const order = lemonEvent('order_created', { clickId, attributes: { total: 2499, currency: 'EUR' } });
    const reply = await send(order);
    expect(reply.status).to.equal(200);
    expect(reply.body).to.deep.equal({ received: true, outcome: 'attributed' });
    const [conversion] = await conversionsOf(suite.api, key);
    expect(conversion).to.include({
      source_id: source.id, provider_order_id: order.data.id, amount: 2499, currency: 'EUR', attribution: 'metadata', campaign_id: campaign.id,
      click_id: clickId, goal: 'purchase', status: 'paid', customer_id: String(order.data.attributes.customer_id),
    });
  });

  it('refuses a tampered body or a wrong signature with 400, logged once per burst, and counts nothing', async () => {
    const { send, key, source } = await shopWithLemon();
    const order = lemonEvent('order_created');
    const tampered = await send(order, { body: JSON.stringify({ ...order, data: { ...order.data, attributes: { ...order.data.attributes, total: 1 } } }) });
    expect(tampered.status).to.equal(400);
    expect(tampered.body.error.code).to.equal('invalid_signature');
    expect((await send(order, { secret: 'lemon_wrong_secret' })).status).to.equal(400);
    expect((await send(order, { signature: '' })).status).to.equal(400);
    expect(await conversionsOf(suite.api, key)).to.have.length(0);
    const logged = await logsOf(suite.api, key, source.id, '&outcome=invalid_signature');
    expect(logged).to.have.length(1);
    expect(logged[0].detail).to.contain('X-Signature does not match the body');
  });

  it('with no timestamp to refuse a replay, de-duplication stops it: a repeat and 8 concurrent deliveries are one conversion', async () => {
    const { send, key, clickId, source } = await shopWithLemon();
    const order = lemonEvent('order_created', { clickId });
    const replies = await Promise.all(Array.from({ length: 8 }, () => send(order)));
    expect(replies.map((reply) => reply.status)).to.deep.equal(Array(8).fill(200));
    expect((await send(order)).body.outcome).to.equal('duplicate');
    expect(await conversionsOf(suite.api, key)).to.have.length(1);
    const outcomes = (await logsOf(suite.api, key, source.id)).map((log) => log.outcome).sort();
    expect(outcomes).to.deep.equal(['attributed', ...Array(8).fill('duplicate')]);
  });

  it('order_refunded sets the cumulative refund in place: partial (status still paid), then full', async () => {
    const { send, key, clickId } = await shopWithLemon();
    const order = lemonEvent('order_created', { clickId, attributes: { total: 1199 } });
    await send(order);
    const refunded = (amount: number, status: string, seconds: number) =>
      lemonEvent('order_refunded', { id: order.data.id, attributes: { total: 1199, refunded_amount: amount, status, refunded: status === 'refunded', updated_at: later(seconds) } });
    expect((await send(refunded(100, 'paid', 1))).body.outcome).to.equal('adjusted');
    expect((await conversionsOf(suite.api, key))[0]).to.include({ amount: 1199, refunded_amount: 100, net_amount: 1099, status: 'partially_refunded' });
    await send(refunded(400, 'partial_refund', 2));
    expect((await conversionsOf(suite.api, key))[0]).to.include({ refunded_amount: 400, status: 'partially_refunded' });
    await send(refunded(1199, 'refunded', 3));
    const conversions = await conversionsOf(suite.api, key);
    expect(conversions).to.have.length(1);
    expect(conversions[0]).to.include({ refunded_amount: 1199, net_amount: 0, status: 'refunded' });
  });

  it('a refund before its order waits as pending_conversion, and is applied when the order arrives', async () => {
    const { send, key, clickId } = await shopWithLemon();
    const id = lemonId();
    const early = await send(lemonEvent('order_refunded', { id, attributes: { total: 1199, refunded_amount: 100 } }));
    expect(early.body.outcome).to.equal('pending_conversion');
    expect(await conversionsOf(suite.api, key)).to.have.length(0);
    expect((await send(lemonEvent('order_created', { id, clickId, attributes: { total: 1199 } }))).body.outcome).to.equal('attributed');
    expect((await conversionsOf(suite.api, key))[0]).to.include({ amount: 1199, refunded_amount: 100, status: 'partially_refunded', attribution: 'metadata' });
  });

  describe('subscriptions', () => {
    /** A subscription's first payment: its order, and its initial invoice naming the subscription whose order it is. */
    function firstPayment(clickId: string) {
      const orderId = lemonId();
      const subscriptionId = lemonId();
      lemon.subscriptionOrders.set(subscriptionId, orderId);
      const customer = Number(lemonId());
      const order = lemonEvent('order_created', { id: orderId, clickId, attributes: { total: 57599, currency: 'PLN', customer_id: customer } });
      const invoice = lemonEvent('subscription_payment_success', { clickId, attributes: { subscription_id: Number(subscriptionId), customer_id: customer } });
      return { order, invoice, subscriptionId, customer };
    }

    for (const first of ['order_created', 'subscription_payment_success']) {
      it(`the first payment, as order_created and as the initial invoice, is one sale (${first} first)`, async () => {
        const { send, key, clickId, source } = await shopWithLemon();
        const { order, invoice } = firstPayment(clickId);
        const [a, b] = first === 'order_created' ? [order, invoice] : [invoice, order];
        expect((await send(a)).body.outcome).to.equal('attributed');
        expect((await send(b)).body.outcome).to.equal('duplicate');
        const conversions = await conversionsOf(suite.api, key);
        expect(conversions).to.have.length(1);
        expect(conversions[0]).to.include({ amount: 57599, currency: 'PLN', goal: 'purchase', click_id: clickId });
        expect((await logsOf(suite.api, key, source.id))[0].detail).to.contain('same sale as');

        // A refund of the first invoice finds the sale through it.
        const refund = lemonEvent('subscription_payment_refunded', {
          id: invoice.data.id, attributes: { total: 57599, currency: 'PLN', refunded_amount: 57599, subscription_id: invoice.data.attributes.subscription_id },
        });
        expect((await send(refund)).body.outcome).to.equal('adjusted');
        expect((await conversionsOf(suite.api, key))[0]).to.include({ refunded_amount: 57599, status: 'refunded' });
      });
    }

    it('without the look-up of its subscription the first invoice is not stored, so Lemon Squeezy retries; never two sales', async () => {
      const { send, key, clickId, source } = await shopWithLemon();
      const { order, invoice } = firstPayment(clickId);
      lemon.down = true;
      const reply = await send(invoice);
      lemon.down = false;
      expect(reply.status).to.equal(503);
      expect((await logsOf(suite.api, key, source.id))[0]).to.include({ outcome: 'error' });
      await send(order);
      expect((await send(invoice)).body.outcome, 'the retry').to.equal('duplicate');
      expect(await conversionsOf(suite.api, key)).to.have.length(1);
    });

    it('later payments are renewals, by the subscription custom data or else the customer; subscription_payment_refunded adjusts its renewal', async () => {
      const { send, key, clickId, campaign } = await shopWithLemon();
      const { order, invoice, customer } = firstPayment(clickId);
      await send(order);
      await send(invoice);
      const renewal = (custom: string | null) =>
        lemonEvent('subscription_payment_success', { clickId: custom, attributes: { billing_reason: 'renewal', total: 57599, currency: 'PLN', subscription_id: invoice.data.attributes.subscription_id, customer_id: customer } });
      const withCustomData = renewal(clickId);
      expect((await send(withCustomData)).body.outcome).to.equal('attributed');
      const byCustomer = renewal(null);
      expect((await send(byCustomer)).body.outcome).to.equal('attributed');
      const conversions = await conversionsOf(suite.api, key);
      expect(conversions).to.have.length(3);
      const renewals = conversions.filter((conversion) => conversion.goal === 'renewal');
      expect(renewals.map((conversion) => [conversion.provider_order_id, conversion.attribution, conversion.campaign_id]).sort()).to.deep.equal([
        [`subscription-invoice:${withCustomData.data.id}`, 'metadata', campaign.id],
        [`subscription-invoice:${byCustomer.data.id}`, 'customer', campaign.id],
      ].sort());

      const refund = lemonEvent('subscription_payment_refunded', { id: byCustomer.data.id, attributes: { billing_reason: 'renewal', total: 57599, currency: 'PLN', refunded_amount: 20000, status: 'partial_refund' } });
      expect((await send(refund)).body.outcome).to.equal('adjusted');
      const adjusted = (await conversionsOf(suite.api, key)).find((conversion) => conversion.provider_order_id === `subscription-invoice:${byCustomer.data.id}`);
      expect(adjusted).to.include({ refunded_amount: 20000, status: 'partially_refunded' });
    });

    it('subscription_created remembers the customer, so an order without custom data follows its click', async () => {
      const { send, key, clickId } = await shopWithLemon();
      const customer = Number(lemonId());
      expect((await send(lemonEvent('subscription_created', { clickId, attributes: { customer_id: customer } }))).body.outcome).to.equal('ignored');
      await send(lemonEvent('order_created', { attributes: { customer_id: customer } }));
      expect((await conversionsOf(suite.api, key))[0]).to.include({ attribution: 'customer', click_id: clickId });
    });
  });

  it('test-mode events are logged ignored for a live source, and count for a source connected with a test-mode key', async () => {
    const live = await shopWithLemon();
    const ignored = await live.send(lemonEvent('order_created', { clickId: live.clickId, testMode: true }));
    expect(ignored.body.outcome).to.equal('ignored');
    expect((await logsOf(suite.api, live.key, live.source.id))[0].detail).to.contain('a test-mode event');
    expect(await conversionsOf(suite.api, live.key)).to.have.length(0);

    const test = await shopWithLemon({ testMode: true });
    expect(test.source.test_mode).to.equal(true);
    expect((await test.send(lemonEvent('order_created', { clickId: test.clickId, testMode: true }))).body.outcome).to.equal('attributed');
    expect(await conversionsOf(suite.api, test.key)).to.have.length(1);
  });

  it('a discount code the order redeemed credits the campaign that lists it', async () => {
    const { send, key, campaign, couponCode } = await shopWithLemon();
    const order = lemonEvent('order_created', { attributes: { discount_total: 500 } });
    lemon.redemptions.set(order.data.id, [couponCode.toLowerCase()]);
    expect((await send(order)).body.outcome).to.equal('attributed');
    expect((await conversionsOf(suite.api, key))[0]).to.include({ attribution: 'coupon', campaign_id: campaign.id });
    expect(lemon.to('GET', '/v1/discount-redemptions').at(-1)!.query.get('filter[order_id]')).to.equal(order.data.id);
  });
});
