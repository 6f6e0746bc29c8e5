import { expect } from 'chai';
import { useService } from '../support/service.js';
import { Api } from '../support/http.js';
import { basilInvoice, legacyInvoice, stripeEvent, subscriptionSession, uid } from '../support/stripe-events.js';
import { click, conversionsOf, deliverStripe, logsOf, storefront, stripeSource } from '../support/webhooks.js';

describe('Stripe subscriptions', () => {
  const suite = useService();

  async function subscriber() {
    const shop = await storefront(suite.api);
    const source = await stripeSource(suite.api, shop.key);
    const clickId = await click(suite.api, shop.link.slug);
    const subscription = uid('sub');
    const customer = uid('cus');
    const send = (event: unknown) => deliverStripe(suite.api, source.id, event);
    return { ...shop, source, clickId, subscription, customer, send };
  }

  it('the checkout session and its first invoice.paid are one sale, whichever comes first', async () => {
    for (const invoiceFirst of [false, true]) {
      const { send, key, source, clickId, subscription, customer } = await subscriber();
      const session = stripeEvent('checkout.session.completed', subscriptionSession({
        subscription, customer, metadata: { synaptyx_clickid: clickId }, amount_total: 24_900,
      }));
      const invoice = stripeEvent('invoice.paid', basilInvoice({
        subscription, customer, billing_reason: 'subscription_create', metadata: { synaptyx_clickid: clickId },
      }));
      for (const event of invoiceFirst ? [invoice, session] : [session, invoice]) {
        expect((await send(event)).status).to.equal(200);
      }
      const conversions = await conversionsOf(suite.api, key);
      expect(conversions).to.have.length(1);
      expect(conversions[0]).to.include({ goal: 'purchase', attribution: 'metadata', click_id: clickId });
      expect((await logsOf(suite.api, key, source.id)).map((log) => log.outcome)).to.deep.equal(['duplicate', 'attributed']);
    }
  });

  it('the checkout session and its first invoice.paid delivered together, each twice, are still one sale', async () => {
    const { send, key, source, clickId, subscription, customer } = await subscriber();
    const session = stripeEvent('checkout.session.completed', subscriptionSession({
      subscription, customer, metadata: { synaptyx_clickid: clickId }, amount_total: 24_900,
    }));
    const invoice = stripeEvent('invoice.paid', basilInvoice({
      subscription, customer, billing_reason: 'subscription_create', metadata: { synaptyx_clickid: clickId },
    }));
    // Parsed in one turn of the event loop, these four share a batch of syx_record_sales.
    const replies = await Promise.all([session, invoice, session, invoice].map(send));
    expect(replies.map((reply) => reply.status)).to.deep.equal([200, 200, 200, 200]);
    const conversions = await conversionsOf(suite.api, key);
    expect(conversions).to.have.length(1);
    expect(conversions[0]).to.include({ click_id: clickId, amount: 24_900 });
    const outcomes = (await logsOf(suite.api, key, source.id)).map((log) => log.outcome).sort();
    expect(outcomes).to.deep.equal(['attributed', 'duplicate', 'duplicate', 'duplicate']);
  });

  it('a renewal (current API shape) is a new conversion with goal renewal, attributed by the subscription metadata', async () => {
    const { send, key, clickId, subscription, customer, campaign } = await subscriber();
    await send(stripeEvent('invoice.paid', basilInvoice({ subscription, customer, billing_reason: 'subscription_create', metadata: { synaptyx_clickid: clickId } })));
    const renewal = basilInvoice({ subscription, customer, billing_reason: 'subscription_cycle', metadata: { synaptyx_clickid: clickId } });
    await send(stripeEvent('invoice.paid', renewal));
    const [latest, first] = await conversionsOf(suite.api, key);
    expect(first).to.include({ goal: 'purchase' });
    expect(latest).to.include({ goal: 'renewal', provider_order_id: renewal.id, attribution: 'metadata', campaign_id: campaign.id, amount: 24_900 });
  });

  it('a renewal in the legacy shape (top-level subscription) works the same', async () => {
    const { send, key, clickId, subscription, customer } = await subscriber();
    const renewal = legacyInvoice({ subscription, customer, billing_reason: 'subscription_cycle', metadata: { synaptyx_clickid: clickId } });
    await send(stripeEvent('invoice.paid', renewal, { api_version: '2020-03-02' }));
    const [conversion] = await conversionsOf(suite.api, key);
    expect(conversion).to.include({ goal: 'renewal', provider_order_id: renewal.id, click_id: clickId, amount: 4_900 });
  });

  it('a renewal without metadata follows the customer who first converted', async () => {
    const { send, key, clickId, subscription, customer } = await subscriber();
    await send(stripeEvent('checkout.session.completed', subscriptionSession({ subscription, customer, metadata: { synaptyx_clickid: clickId } })));
    await send(stripeEvent('invoice.paid', basilInvoice({ subscription, customer, billing_reason: 'subscription_cycle' })));
    const [renewal] = await conversionsOf(suite.api, key);
    expect(renewal).to.include({ goal: 'renewal', attribution: 'customer', click_id: clickId });
  });

  it('an invoice paid with nothing (a trial) is no sale', async () => {
    const { send, key, source } = await subscriber();
    const trial = await send(stripeEvent('invoice.paid', basilInvoice({ subscription: uid('sub'), amount_paid: 0, billing_reason: 'subscription_create' })));
    expect(trial.status).to.equal(200);
    expect(await conversionsOf(suite.api, key)).to.have.length(0);
    expect((await logsOf(suite.api, key, source.id))[0].outcome).to.equal('ignored');
  });
});
