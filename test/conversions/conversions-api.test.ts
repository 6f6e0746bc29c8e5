import { expect } from 'chai';
import { startService, type RunningService } from '../support/service.js';
import { Api } from '../support/http.js';
import { checkoutSession, stripeEvent } from '../support/stripe-events.js';
import { click, conversionsOf, deliverStripe, storefront, stripeSource } from '../support/webhooks.js';

describe('/api/conversions', () => {
  let running: RunningService;
  let api: Api;
  before(async () => {
    running = await startService();
    api = new Api(running.url);
  });
  after(() => running.stop());

  it('records a server-to-server conversion once per order id', async () => {
    const shop = await storefront(api);
    const clickId = await click(api, shop.link.slug);
    const body = { click_id: clickId, order_id: 'order-1001', amount: 14999, currency: 'usd', goal: 'purchase' };
    const created = await api.post('/api/conversions', body, { key: shop.key });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({
      click_id: clickId, link_id: shop.link.id, campaign_id: shop.campaign.id, provider_order_id: 'order-1001',
      amount: 14999, currency: 'USD', net_amount: 14999, attribution: 'server', status: 'paid', source_id: null,
    });
    const again = await api.post('/api/conversions', body, { key: shop.key });
    expect(again.status).to.equal(200);
    expect(again.body.id).to.equal(created.body.id);
    expect(await conversionsOf(api, shop.key)).to.have.length(1);
  });

  it('refuses a forged or foreign click id with 422 and a non-integer amount with 400', async () => {
    const shop = await storefront(api);
    const other = await storefront(api);
    const foreign = await click(api, other.link.slug);
    const forged = 'A'.repeat(58);
    for (const clickId of [forged, foreign]) {
      const reply = await api.post('/api/conversions', { click_id: clickId, order_id: 'o-1', amount: 100, currency: 'USD' }, { key: shop.key });
      expect(reply.status).to.equal(422);
      expect(reply.body.error.code).to.equal('invalid_click_id');
    }
    const clickId = await click(api, shop.link.slug);
    const fractional = await api.post('/api/conversions', { click_id: clickId, order_id: 'o-2', amount: 149.99, currency: 'USD' }, { key: shop.key });
    expect(fractional.status).to.equal(400);
    expect(fractional.body.error.details[0].pointer).to.equal('/amount');
  });

  it('filters by campaign, link, source and time, and keeps workspaces apart', async () => {
    const shop = await storefront(api);
    const secondLink = await api.link(shop.key, shop.campaign.id);
    const source = await stripeSource(api, shop.key);
    const viaWebhook = await click(api, shop.link.slug);
    await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', checkoutSession({ metadata: { synaptyx_clickid: viaWebhook } })));
    const viaServer = await click(api, secondLink.slug);
    await api.post('/api/conversions', { click_id: viaServer, order_id: 'srv-1', amount: 500, currency: 'EUR' }, { key: shop.key });

    expect(await conversionsOf(api, shop.key, `&campaign_id=${shop.campaign.id}`)).to.have.length(2);
    expect(await conversionsOf(api, shop.key, `&link_id=${secondLink.id}`)).to.have.length(1);
    expect(await conversionsOf(api, shop.key, `&source_id=${source.id}`)).to.have.length(1);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await conversionsOf(api, shop.key, `&from=${future}`)).to.have.length(0);
    expect(await conversionsOf(api, shop.key, `&to=${future}`)).to.have.length(2);
    expect((await api.get('/api/conversions?from=yesterday', { key: shop.key })).status).to.equal(400);

    const stranger = await api.workspace();
    expect(await conversionsOf(api, stranger.key)).to.have.length(0);
    expect(await conversionsOf(api, stranger.key, `&campaign_id=${shop.campaign.id}`)).to.have.length(0);
  });
});
