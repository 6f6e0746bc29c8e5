import { expect } from 'chai';
import { useService } from '../support/service.js';
import { dashboardUser, type DashboardUser } from '../support/dashboard.js';
import { chargeRefunded, checkoutSession, dispute, stripeEvent } from '../support/stripe-events.js';
import { click, deliverStripe, stripeSource } from '../support/webhooks.js';

/** The table row of one order on a conversions page. */
const rowOf = (html: string, orderId: string) => {
  const start = html.indexOf(`<code>${orderId}</code>`);
  expect(start, `no row for ${orderId}`).to.be.greaterThan(-1);
  return html.slice(start).split('</tr>')[0];
};
const orders = (html: string) => [...html.matchAll(/<th scope="row"><code>([^<]+)<\/code><\/th>/g)].map((match) => match[1]);

describe('Dashboard conversions', () => {
  const suite = useService();
  const api = () => suite.api;

  /** A workspace with two campaigns, a Stripe source, and sales: by webhook (one refunded, one disputed) and server to server. */
  async function shopWithSales(user: DashboardUser) {
    const spring = await api().campaign(user.key, { name: 'Spring launch', coupon_codes: [`SPRING${Date.now()}`] });
    const autumn = await api().campaign(user.key, { name: 'Autumn sale' });
    const springLink = await api().link(user.key, spring.id, { slug: `spring-${Date.now()}` });
    const autumnLink = await api().link(user.key, autumn.id);
    const source = await stripeSource(api(), user.key, { name: 'Main Stripe' });
    const refunded = checkoutSession({ amount_total: 10_000, currency: 'usd', metadata: { synaptyx_clickid: await click(api(), springLink.slug) } });
    const disputed = checkoutSession({ amount_total: 4_000, currency: 'eur', metadata: { synaptyx_clickid: await click(api(), springLink.slug) } });
    for (const session of [refunded, disputed]) expect((await deliverStripe(api(), source.id, stripeEvent('checkout.session.completed', session))).status).to.equal(200);
    await deliverStripe(api(), source.id, stripeEvent('charge.refunded', chargeRefunded({ payment_intent: refunded.payment_intent as string, amount: 10_000, amount_refunded: 2_500 })));
    await deliverStripe(api(), source.id, stripeEvent('charge.dispute.closed', dispute({ payment_intent: disputed.payment_intent as string, amount: 4_000, status: 'lost' })));
    const server = await api().post('/api/conversions', { click_id: await click(api(), autumnLink.slug), order_id: 'server-order-1', amount: 1_999, currency: 'GBP' }, { key: user.key });
    expect(server.status).to.equal(201);
    const conversions = (await api().get('/api/conversions?limit=200', { key: user.key })).body.data as { id: string; provider_order_id: string; source_id: string | null }[];
    const orderOf = (sourced: boolean, index = 0) => conversions.filter((conversion) => (conversion.source_id !== null) === sourced)[index].provider_order_id;
    return { spring, autumn, springLink, autumnLink, source, conversions, orderOf };
  }

  it('says what a conversion is and where it comes from while there is none', async () => {
    const user = await dashboardUser(suite.running);
    const page = await user.client.get('/app/conversions');
    expect(page.status).to.equal(200);
    expect(page.html).to.contain('No conversions yet').and.to.contain('A conversion is a sale credited to one of your campaigns');
    expect(page.html).to.contain('href="/app/sources"').and.to.contain('href="/app/campaigns"').and.not.to.contain('<table');
  });

  it('lists each sale with its status, amount, refunds, disputes, net, campaign, link, attribution and order id', async () => {
    const user = await dashboardUser(suite.running);
    const shop = await shopWithSales(user);
    const page = await user.client.get('/app/conversions');
    expect(page.status).to.equal(200);
    for (const header of ['Order', 'Created', 'Status', 'Amount', 'Refunded', 'Disputed', 'Net', 'Campaign', 'Link', 'Attribution']) {
      expect(page.html).to.match(new RegExp(`<th scope="col"[^>]*>${header}</th>`));
    }
    expect(orders(page.html)).to.have.length(3);

    const byStripe = shop.conversions.filter((conversion) => conversion.source_id !== null);
    const [disputedOrder, refundedOrder] = byStripe.map((conversion) => conversion.provider_order_id); // newest first
    const refunded = rowOf(page.html, refundedOrder);
    expect(refunded).to.contain('badge partially_refunded').and.to.contain('$100.00').and.to.contain('$25.00').and.to.contain('$75.00');
    expect(refunded).to.contain(`href="/app/campaigns/${shop.spring.id}">Spring launch</a>`).and.to.contain(`<code>${shop.springLink.slug}</code>`).and.to.contain('Click id in checkout');
    const disputed = rowOf(page.html, disputedOrder);
    expect(disputed).to.contain('badge disputed').and.to.contain('€40.00').and.to.contain('€0.00');
    const server = rowOf(page.html, 'server-order-1');
    expect(server).to.contain('badge paid').and.to.contain('£19.99').and.to.contain('Autumn sale').and.to.contain('Server to server');
    expect(page.html).to.contain('are in UTC');
  });

  it('filters by campaign, source and days (in the workspace\'s time zone), keeping the filters in the form', async () => {
    const user = await dashboardUser(suite.running);
    const shop = await shopWithSales(user);
    const byCampaign = await user.client.get(`/app/conversions?campaign_id=${shop.autumn.id}`);
    expect(orders(byCampaign.html)).to.deep.equal(['server-order-1']);
    expect(byCampaign.html).to.contain(`<option value="${shop.autumn.id}" selected>Autumn sale</option>`);

    const bySource = await user.client.get(`/app/conversions?source_id=${shop.source.id}&campaign_id=`);
    expect(orders(bySource.html)).to.have.length(2).and.not.to.include('server-order-1');
    expect(bySource.html).to.contain(`<option value="${shop.source.id}" selected>Main Stripe</option>`);

    // Days are the workspace's: 14 hours ahead of UTC, today there is often tomorrow in UTC.
    expect((await api().patch('/api/workspace', { timezone: 'Pacific/Kiritimati' }, { key: user.key })).status).to.equal(200);
    const dayThere = (offsetDays: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date(Date.now() + offsetDays * 86_400_000));
    const today = await user.client.get(`/app/conversions?from=${dayThere(0)}&to=${dayThere(0)}`);
    expect(orders(today.html)).to.have.length(3);
    expect(today.html).to.contain('are in Pacific/Kiritimati');
    expect(orders((await user.client.get(`/app/conversions?to=${dayThere(-1)}`)).html)).to.deep.equal([]);
    const none = await user.client.get(`/app/conversions?from=${dayThere(1)}`);
    expect(orders(none.html)).to.deep.equal([]);
    expect(none.html).to.contain('No conversions match these filters').and.to.contain(`value="${dayThere(1)}"`);
  });

  it('refuses a filter it cannot read with 400, the problem next to the field, and the unfiltered list', async () => {
    const user = await dashboardUser(suite.running);
    await shopWithSales(user);
    const backwards = await user.client.get('/app/conversions?from=2026-03-10&to=2026-03-01');
    expect(backwards.status).to.equal(400);
    expect(backwards.html).to.match(/id="field-to-error"[^>]*>Must be on or after the From day/);
    const malformed = await user.client.get('/app/conversions?from=yesterday&campaign_id=nope');
    expect(malformed.status).to.equal(400);
    expect(malformed.html).to.match(/id="field-from-error"[^>]*>Must be a date, YYYY-MM-DD/).and.to.contain('value="yesterday"');
    expect(orders(malformed.html)).to.have.length(3);
  });

  it('pages through with the API\'s cursor, keeping the filters, and never shows another workspace\'s sales', async () => {
    const user = await dashboardUser(suite.running);
    const campaign = await api().campaign(user.key);
    const link = await api().link(user.key, campaign.id);
    const clickId = await click(api(), link.slug);
    for (let index = 0; index < 52; index++) {
      expect((await api().post('/api/conversions', { click_id: clickId, order_id: `order-${String(index).padStart(2, '0')}`, amount: 100 + index, currency: 'USD' }, { key: user.key })).status).to.equal(201);
    }
    const first = await user.client.get(`/app/conversions?campaign_id=${campaign.id}`);
    expect(orders(first.html)).to.have.length(50);
    expect(orders(first.html)[0]).to.equal('order-51');
    const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(first.html)![1].replace(/&amp;/g, '&');
    expect(next).to.contain(`campaign_id=${campaign.id}`).and.to.contain('cursor=conv_');
    const second = await user.client.get(next);
    expect(orders(second.html)).to.deep.equal(['order-01', 'order-00']);
    expect(second.html).not.to.contain('Next page');
    expect(second.html).to.contain('First page');

    const stranger = await dashboardUser(suite.running, { name: 'stranger' });
    const theirs = await stranger.client.get(`/app/conversions?campaign_id=${campaign.id}`);
    expect(theirs.status).to.equal(200);
    expect(orders(theirs.html)).to.deep.equal([]);
    expect(theirs.html).not.to.contain('order-51');
    expect(theirs.html).to.contain('No conversions match these filters');
  });
});
