import { expect } from 'chai';
import { useService } from '../support/service.js';
import { Api } from '../support/http.js';
import { checkoutSession, stripeEvent } from '../support/stripe-events.js';
import { click, conversionsOf, deliverStripe, storefront, stripeSource } from '../support/webhooks.js';

describe('/api/conversions', () => {
  const suite = useService();

  it('records a server-to-server conversion once per order id', async () => {
    const shop = await storefront(suite.api);
    const clickId = await click(suite.api, shop.link.slug);
    const body = { click_id: clickId, order_id: 'order-1001', amount: 14999, currency: 'usd', goal: 'purchase' };
    const created = await suite.api.post('/api/conversions', body, { key: shop.key });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({
      click_id: clickId, link_id: shop.link.id, campaign_id: shop.campaign.id, provider_order_id: 'order-1001',
      amount: 14999, currency: 'USD', net_amount: 14999, attribution: 'server', status: 'paid', source_id: null,
    });
    const again = await suite.api.post('/api/conversions', body, { key: shop.key });
    expect(again.status).to.equal(200);
    expect(again.body.id).to.equal(created.body.id);
    expect(await conversionsOf(suite.api, shop.key)).to.have.length(1);
  });

  it('a replay of an order id with another amount or currency is a 409 saying what differs, and changes nothing', async () => {
    const shop = await storefront(suite.api);
    const clickId = await click(suite.api, shop.link.slug);
    const body = { click_id: clickId, order_id: 'order-2002', amount: 5000, currency: 'EUR' };
    expect((await suite.api.post('/api/conversions', body, { key: shop.key })).status).to.equal(201);
    const otherAmount = await suite.api.post('/api/conversions', { ...body, amount: 5001 }, { key: shop.key });
    expect(otherAmount.status).to.equal(409);
    expect(otherAmount.body.error.code).to.equal('conflict');
    expect(otherAmount.body.error.details).to.deep.equal([{ pointer: '/amount', message: 'is 5001, but order order-2002 was recorded with 5000' }]);
    const otherCurrency = await suite.api.post('/api/conversions', { ...body, currency: 'usd' }, { key: shop.key });
    expect(otherCurrency.status).to.equal(409);
    expect(otherCurrency.body.error.details.map((d: { pointer: string }) => d.pointer)).to.deep.equal(['/currency']);
    const both = await suite.api.post('/api/conversions', { ...body, amount: 1, currency: 'GBP' }, { key: shop.key });
    expect(both.body.error.message).to.contain('amount and currency');
    expect((await suite.api.post('/api/conversions', { ...body, currency: 'eur' }, { key: shop.key })).status).to.equal(200);
    const [stored] = await conversionsOf(suite.api, shop.key);
    expect(stored).to.include({ amount: 5000, currency: 'EUR' });
  });

  it('refuses a currency that is not ISO 4217 with a 400 naming it', async () => {
    const shop = await storefront(suite.api);
    const clickId = await click(suite.api, shop.link.slug);
    for (const currency of ['ZZZ', 'XXX', 'US', 'usdx', '€€€']) {
      const reply = await suite.api.post('/api/conversions', { click_id: clickId, order_id: `o-${currency}`, amount: 100, currency }, { key: shop.key });
      expect(reply.status, currency).to.equal(400);
      expect(reply.body.error.details.map((d: { pointer: string }) => d.pointer), currency).to.deep.equal(['/currency']);
    }
    expect(await conversionsOf(suite.api, shop.key)).to.deep.equal([]);
  });

  it('refuses a forged or foreign click id with 422 and a non-integer amount with 400', async () => {
    const shop = await storefront(suite.api);
    const other = await storefront(suite.api);
    const foreign = await click(suite.api, other.link.slug);
    const forged = 'A'.repeat(58);
    for (const clickId of [forged, foreign]) {
      const reply = await suite.api.post('/api/conversions', { click_id: clickId, order_id: 'o-1', amount: 100, currency: 'USD' }, { key: shop.key });
      expect(reply.status).to.equal(422);
      expect(reply.body.error.code).to.equal('invalid_click_id');
    }
    const clickId = await click(suite.api, shop.link.slug);
    const fractional = await suite.api.post('/api/conversions', { click_id: clickId, order_id: 'o-2', amount: 149.99, currency: 'USD' }, { key: shop.key });
    expect(fractional.status).to.equal(400);
    expect(fractional.body.error.details[0].pointer).to.equal('/amount');
  });

  it('filters by campaign, link, source and time, and keeps workspaces apart', async () => {
    const shop = await storefront(suite.api);
    const secondLink = await suite.api.link(shop.key, shop.campaign.id);
    const source = await stripeSource(suite.api, shop.key);
    const viaWebhook = await click(suite.api, shop.link.slug);
    await deliverStripe(suite.api, source.id, stripeEvent('checkout.session.completed', checkoutSession({ metadata: { synaptyx_clickid: viaWebhook } })));
    const viaServer = await click(suite.api, secondLink.slug);
    await suite.api.post('/api/conversions', { click_id: viaServer, order_id: 'srv-1', amount: 500, currency: 'EUR' }, { key: shop.key });

    expect(await conversionsOf(suite.api, shop.key, `&campaign_id=${shop.campaign.id}`)).to.have.length(2);
    expect(await conversionsOf(suite.api, shop.key, `&link_id=${secondLink.id}`)).to.have.length(1);
    expect(await conversionsOf(suite.api, shop.key, `&source_id=${source.id}`)).to.have.length(1);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await conversionsOf(suite.api, shop.key, `&from=${future}`)).to.have.length(0);
    expect(await conversionsOf(suite.api, shop.key, `&to=${future}`)).to.have.length(2);
    expect((await suite.api.get('/api/conversions?from=yesterday', { key: shop.key })).status).to.equal(400);

    const stranger = await suite.api.workspace();
    expect(await conversionsOf(suite.api, stranger.key)).to.have.length(0);
    expect(await conversionsOf(suite.api, stranger.key, `&campaign_id=${shop.campaign.id}`)).to.have.length(0);
  });
});
