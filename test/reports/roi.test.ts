import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { useService } from '../support/service.js';
import { BROWSER_UA, type Api } from '../support/http.js';
import { chargeRefunded, checkoutSession, dispute, stripeEvent } from '../support/stripe-events.js';
import { polarEvent, polarOrder } from '../support/polar-events.js';
import { deliverPolar, deliverStripe, polarSource, stripeSource } from '../support/webhooks.js';

const today = () => new Date().toISOString().slice(0, 10);

/** A visitor's browser on the tracker: it keeps the cookies the redirects set, as a browser would. */
class Visitor {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly api: Api, private readonly origin: { country?: string; referer?: string } = {}) {}

  async click(slug: string): Promise<string> {
    const headers: Record<string, string> = { 'user-agent': BROWSER_UA };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (this.origin.country) headers['cf-ipcountry'] = this.origin.country;
    if (this.origin.referer) headers.referer = this.origin.referer;
    const reply = await this.api.get(`/c/${slug}`, { headers });
    for (const cookie of reply.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair.split('=');
      this.cookies.set(name, value);
    }
    return new URL(reply.headers.get('location')!).searchParams.get('clickid')!;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/**
 * A workspace whose every figure is worked out by hand below:
 * - campaign A (coupon LAUNCH-<n>, link a1) and campaign B (link b1);
 * - visitor 1 (RO, from www.google.com) clicks a1 then b1 and buys 100.00 USD through Stripe; a dispute of 40.00 is lost;
 * - visitor 2 (US, from news.ycombinator.com) clicks a1 and buys 50.00 EUR through Stripe; 20.00 is refunded later;
 * - a Polar order of 30.00 USD uses A's coupon (no click); a Stripe sale of 7.00 USD carries no click at all;
 * - two more clicks on a1 and one on b1 buy nothing;
 * - spend today: A 20.00 USD and 10.00 EUR, B 50.00 USD.
 */
async function handBuiltWorkspace(api: Api, clicksWritten: () => Promise<void>) {
  const { key } = await api.workspace();
  const coupon = `LAUNCH-${Math.floor(Math.random() * 1e9)}`;
  const a = await api.campaign(key, { name: 'A', coupon_codes: [coupon] });
  const b = await api.campaign(key, { name: 'B' });
  const a1 = await api.link(key, a.id);
  const b1 = await api.link(key, b.id);
  const stripe = await stripeSource(api, key, { name: 'Stripe shop' });
  const polar = await polarSource(api, key);

  const first = new Visitor(api, { country: 'RO', referer: 'https://www.google.com/search?q=x' });
  const firstClick = await first.click(a1.slug);
  const lastClick = await first.click(b1.slug);
  const second = new Visitor(api, { country: 'US', referer: 'https://news.ycombinator.com/item?id=1' });
  const secondClick = await second.click(a1.slug);
  for (const slug of [a1.slug, a1.slug, b1.slug]) await new Visitor(api).click(slug);
  // As in life, the sales come after the clicks are written (the writer flushes every 10 ms; a loaded machine is slower).
  await clicksWritten();

  const sale1 = checkoutSession({ amount_total: 10_000, currency: 'usd', metadata: { synaptyx_clickid: lastClick } });
  const sale2 = checkoutSession({ amount_total: 5_000, currency: 'eur', metadata: { synaptyx_clickid: secondClick } });
  const orphan = checkoutSession({ amount_total: 700, currency: 'usd' });
  for (const session of [sale1, sale2, orphan]) await deliverStripe(api, stripe.id, stripeEvent('checkout.session.completed', session));
  await deliverPolar(api, polar.id, polarEvent('order.paid', polarOrder({ total_amount: 3_000, currency: 'usd', discount: { ...polarOrder().discount, code: coupon } })));
  await deliverStripe(api, stripe.id, stripeEvent('charge.refunded', chargeRefunded({ payment_intent: sale2.payment_intent, amount: 5_000, amount_refunded: 2_000 })));
  const lost = dispute({ payment_intent: sale1.payment_intent, amount: 4_000, status: 'lost' });
  await deliverStripe(api, stripe.id, stripeEvent('charge.dispute.closed', lost));

  const day = today();
  await api.put(`/api/campaigns/${a.id}/spend`, [{ date: day, amount: 2_000, currency: 'USD' }, { date: day, amount: 1_000, currency: 'EUR' }], { key });
  await api.put(`/api/campaigns/${b.id}/spend`, [{ date: day, amount: 5_000, currency: 'USD' }], { key });
  return { key, a, b, a1, b1, stripe, polar, firstClick, lastClick, secondClick, first };
}

describe('ROI reports: every figure by hand', () => {
  const suite = useService();
  let shop: Awaited<ReturnType<typeof handBuiltWorkspace>>;
  before(async () => {
    const writer = suite.running.service.clickWriter;
    shop = await handBuiltWorkspace(suite.api, async () => {
      while (writer.pendingCount > 0) await writer.flush();
    });
  });
  const report = async (query: string) => {
    const reply = await suite.api.get(`/api/reports?${query}`, { key: shop.key });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    return reply.body;
  };
  const row = (body: { rows: { key: string | null }[] }, key: string | null) => body.rows.find((r) => r.key === key) as Record<string, unknown>;

  it('the click chain: the second click remembers the first, in the cookie and in the conversion', async () => {
    expect(shop.first.cookie('_syx_fcid')).to.equal(shop.firstClick);
    expect(shop.first.cookie('_syx_cid')).to.equal(shop.lastClick);
    const conversions = (await suite.api.get('/api/conversions', { key: shop.key })).body.data;
    const sale1 = conversions.find((c: { click_id: string }) => c.click_id === shop.lastClick);
    expect(sale1).to.include({ first_click_id: shop.firstClick, campaign_id: shop.b.id, link_id: shop.b1.id });
    const sale2 = conversions.find((c: { click_id: string }) => c.click_id === shop.secondClick);
    expect(sale2.first_click_id).to.equal(shop.secondClick);
  });

  it('by campaign, last click: clicks, conversions, money per currency, spend and ROI', async () => {
    const body = await report('group_by=campaign&interval=7d&model=last_click');
    expect(body).to.include({ group_by: 'campaign', model: 'last_click', timezone: 'UTC', to: today() });
    expect(row(body, shop.a.id)).to.deep.equal({
      key: shop.a.id, label: 'A', clicks: 4, conversions: 2,
      revenue: { EUR: 5_000, USD: 3_000 }, refunded: { EUR: 2_000, USD: 0 }, disputed: { EUR: 0, USD: 0 }, net: { EUR: 3_000, USD: 3_000 },
      spend: { EUR: 1_000, USD: 2_000 }, roi: { EUR: 2, USD: 0.5 }, conversion_rate: 0.5, epc: { EUR: 750, USD: 750 }, aov: { EUR: 5_000, USD: 3_000 },
    });
    expect(row(body, shop.b.id)).to.deep.equal({
      key: shop.b.id, label: 'B', clicks: 2, conversions: 1,
      revenue: { USD: 10_000 }, refunded: { USD: 0 }, disputed: { USD: 4_000 }, net: { USD: 6_000 },
      spend: { USD: 5_000 }, roi: { USD: 0.2 }, conversion_rate: 0.5, epc: { USD: 3_000 }, aov: { USD: 10_000 },
    });
    expect(row(body, null)).to.deep.include({ clicks: 0, conversions: 1, net: { USD: 700 }, conversion_rate: null, epc: {}, spend: {}, roi: {} });
    expect(body.totals).to.deep.equal({
      key: null, label: 'Total', clicks: 6, conversions: 4,
      revenue: { EUR: 5_000, USD: 13_700 }, refunded: { EUR: 2_000, USD: 0 }, disputed: { EUR: 0, USD: 4_000 }, net: { EUR: 3_000, USD: 9_700 },
      spend: { EUR: 1_000, USD: 7_000 }, roi: { EUR: 2, USD: 0.3857 }, conversion_rate: 0.6667, epc: { EUR: 500, USD: 1_617 }, aov: { EUR: 5_000, USD: 4_567 },
    });
    // Rows by net, largest first (USD has the most net): B 6,000, A 3,000, then the unattributed 700.
    expect(body.rows.map((r: { key: string | null }) => r.key)).to.deep.equal([shop.b.id, shop.a.id, null]);
  });

  it('by campaign, first click: the sale visitor 1 made after clicking A then B goes to A', async () => {
    const body = await report('group_by=campaign&interval=7d&model=first_click');
    expect(row(body, shop.a.id)).to.deep.include({
      clicks: 4, conversions: 3, revenue: { EUR: 5_000, USD: 13_000 }, disputed: { EUR: 0, USD: 4_000 }, net: { EUR: 3_000, USD: 9_000 },
      roi: { EUR: 2, USD: 3.5 }, conversion_rate: 0.75, epc: { EUR: 750, USD: 2_250 }, aov: { EUR: 5_000, USD: 6_500 },
    });
    expect(row(body, shop.b.id)).to.deep.include({ clicks: 2, conversions: 0, net: {}, spend: { USD: 5_000 }, roi: { USD: -1 }, conversion_rate: 0 });
    expect(body.totals.net).to.deep.equal({ EUR: 3_000, USD: 9_700 });
  });

  it('the workspace\'s model is the default', async () => {
    expect((await suite.api.patch('/api/workspace', { attribution_model: 'first_click' }, { key: shop.key })).body.attribution_model).to.equal('first_click');
    expect(row(await report('group_by=campaign&interval=7d'), shop.a.id).conversions).to.equal(3);
    await suite.api.patch('/api/workspace', { attribution_model: 'last_click' }, { key: shop.key });
    expect(row(await report('group_by=campaign&interval=7d'), shop.a.id).conversions).to.equal(2);
  });

  it('by link: no spend or ROI on link rows; a coupon sale has no link', async () => {
    const last = await report('group_by=link&interval=7d');
    expect(row(last, shop.a1.id)).to.deep.equal({
      key: shop.a1.id, label: `/c/${shop.a1.slug}`, clicks: 4, conversions: 1, revenue: { EUR: 5_000 }, refunded: { EUR: 2_000 }, disputed: { EUR: 0 },
      net: { EUR: 3_000 }, conversion_rate: 0.25, epc: { EUR: 750 }, aov: { EUR: 5_000 },
    });
    expect(row(last, shop.b1.id)).to.deep.include({ clicks: 2, conversions: 1, net: { USD: 6_000 } });
    expect(row(last, null)).to.deep.include({ clicks: 0, conversions: 2, net: { USD: 3_700 } });
    expect(last.totals).not.to.have.property('spend');
    const first = await report('group_by=link&interval=7d&model=first_click');
    expect(row(first, shop.a1.id)).to.deep.include({ conversions: 2, net: { EUR: 3_000, USD: 6_000 } });
  });

  it('by source: clicks belong to no source, so only the totals have them', async () => {
    const body = await report('group_by=source&interval=7d');
    expect(row(body, shop.stripe.id)).to.deep.include({ label: 'Stripe shop', clicks: null, conversions: 3, net: { EUR: 3_000, USD: 6_700 }, conversion_rate: null });
    expect(row(body, shop.polar.id)).to.deep.include({ conversions: 1, net: { USD: 3_000 } });
    expect(body.totals).to.deep.include({ clicks: 6, conversions: 4 });
  });

  it('by country and referrer host, of the credited click', async () => {
    const countries = await report('group_by=country&interval=7d');
    expect(row(countries, 'RO')).to.deep.include({ clicks: 2, conversions: 1, net: { USD: 6_000 } });
    expect(row(countries, 'US')).to.deep.include({ clicks: 1, conversions: 1, net: { EUR: 3_000 } });
    expect(row(countries, '')).to.deep.include({ label: 'Unknown', clicks: 3, conversions: 2 });
    const referrers = await report('group_by=referrer&interval=7d');
    expect(row(referrers, 'google.com')).to.deep.include({ clicks: 2, conversions: 1 });
    expect(row(referrers, 'news.ycombinator.com')).to.deep.include({ clicks: 1, conversions: 1 });
  });

  it('by day: every day of the range, empty ones as zeros; filters narrow clicks and sales', async () => {
    const body = await report('group_by=day&interval=7d');
    expect(body.rows).to.have.length(7);
    expect(body.rows.slice(0, 6).every((r: { clicks: number; conversions: number }) => r.clicks === 0 && r.conversions === 0)).to.equal(true);
    expect(body.rows[6]).to.deep.include({ key: today(), clicks: 6, conversions: 4, net: { EUR: 3_000, USD: 9_700 }, spend: { EUR: 1_000, USD: 7_000 } });
    const onlyB = await report(`group_by=day&interval=7d&campaign_id=${shop.b.id}`);
    expect(onlyB.rows[6]).to.deep.include({ clicks: 2, conversions: 1, net: { USD: 6_000 }, spend: { USD: 5_000 } });
    const euros = await report('group_by=total&interval=7d&currency=eur');
    expect(euros.rows[0]).to.deep.include({ conversions: 1, net: { EUR: 3_000 }, spend: { EUR: 1_000 } });
  });

  it('CSV: RFC 4180 with a header, one column per currency metric, the same numbers as the JSON', async () => {
    const json = await report('group_by=campaign&interval=7d');
    const reply = await suite.api.get('/api/reports?group_by=campaign&interval=7d&format=csv', { key: shop.key });
    expect(reply.status).to.equal(200);
    expect(reply.headers.get('content-type')).to.match(/^text\/csv/);
    expect(reply.headers.get('content-disposition')).to.equal(`attachment; filename="synaptyx-campaign-${json.from}-${json.to}.csv"`);
    const records: Record<string, string>[] = parse(reply.body, { columns: true });
    expect(records).to.have.length(json.rows.length + 1);
    for (const jsonRow of [...json.rows, json.totals]) {
      const record = records.find((r) => r.key === (jsonRow === json.totals ? 'total' : jsonRow.key ?? ''))!;
      expect(Number(record.clicks)).to.equal(jsonRow.clicks);
      expect(Number(record.conversions)).to.equal(jsonRow.conversions);
      for (const metric of ['revenue', 'refunded', 'disputed', 'net', 'spend', 'roi', 'epc', 'aov']) {
        for (const [currency, value] of Object.entries(jsonRow[metric] as Record<string, number>)) {
          expect(Number(record[`${metric}_${currency.toLowerCase()}`]), `${metric} ${currency}`).to.equal(value);
        }
      }
    }
  });

  it('CSV: a campaign name that a spreadsheet would run as a formula is neutralised', async () => {
    const { key } = await suite.api.workspace();
    for (const name of ['=HYPERLINK("http://evil.example","click")', '+1']) {
      const campaign = await suite.api.campaign(key, { name });
      await suite.api.put(`/api/campaigns/${campaign.id}/spend`, [{ date: today(), amount: 100, currency: 'USD' }], { key });
    }
    const reply = await suite.api.get('/api/reports?group_by=campaign&format=csv', { key });
    const records: Record<string, string>[] = parse(reply.body, { columns: true });
    expect(records.map((r) => r.label)).to.include.members(["'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1"]);
  });
});

describe('ROI reports: time zones, late refunds, isolation, bad input', () => {
  const suite = useService();

  /** A workspace with a Stripe source, and a way to record a sale of `amount` USD at a moment. */
  async function shopWithSales() {
    const { key } = await suite.api.workspace();
    const source = await stripeSource(suite.api, key);
    const sell = async (at: string, amount = 1_000) => {
      const session = checkoutSession({ amount_total: amount, currency: 'usd' });
      await deliverStripe(suite.api, source.id, stripeEvent('checkout.session.completed', session, { created: Math.floor(Date.parse(at) / 1000) }));
      return session;
    };
    return { key, source, sell };
  }
  const daysOf = async (key: string, query: string) => {
    const reply = await suite.api.get(`/api/reports?group_by=day&${query}`, { key });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    return Object.fromEntries(reply.body.rows.map((r: { key: string; conversions: number }) => [r.key, r.conversions]));
  };

  it('a sale at 23:30 local time is on that local day, including both DST change days (Bucharest, Los Angeles)', async () => {
    const { key, sell } = await shopWithSales();
    // 23:30 local on the DST change days and the days around them, as UTC instants.
    const sales = [
      '2026-03-28T21:30:00Z', // Bucharest 2026-03-28 23:30 (EET, +2)
      '2026-03-29T20:30:00Z', // Bucharest 2026-03-29 23:30 (EEST, +3: the day of the change)
      '2026-10-25T21:30:00Z', // Bucharest 2026-10-25 23:30 (EET again: the change back)
      '2026-03-09T06:30:00Z', // Los Angeles 2026-03-08 23:30 (PDT, -7: the change)
      '2026-11-02T07:30:00Z', // Los Angeles 2026-11-01 23:30 (PST, -8: the change back)
    ];
    for (const at of sales) await sell(at);
    const bucharest = await daysOf(key, 'timezone=Europe/Bucharest&from=2026-03-28&to=2026-03-30');
    expect(bucharest).to.deep.equal({ '2026-03-28': 1, '2026-03-29': 1, '2026-03-30': 0 });
    expect(await daysOf(key, 'timezone=Europe/Bucharest&from=2026-10-25&to=2026-10-26')).to.deep.equal({ '2026-10-25': 1, '2026-10-26': 0 });
    const losAngeles = await daysOf(key, 'timezone=America/Los_Angeles&from=2026-03-08&to=2026-03-09');
    expect(losAngeles).to.deep.equal({ '2026-03-08': 1, '2026-03-09': 0 });
    expect(await daysOf(key, 'timezone=America/Los_Angeles&from=2026-11-01&to=2026-11-02')).to.deep.equal({ '2026-11-01': 1, '2026-11-02': 0 });
    // The same instant in UTC is the next day.
    expect((await daysOf(key, 'timezone=UTC&from=2026-03-09&to=2026-03-09'))['2026-03-09']).to.equal(1);
    // The workspace's own zone is the default.
    await suite.api.patch('/api/workspace', { timezone: 'Europe/Bucharest' }, { key });
    const reply = await suite.api.get('/api/reports?group_by=day&from=2026-03-29&to=2026-03-29', { key });
    expect(reply.body).to.include({ timezone: 'Europe/Bucharest', from: '2026-03-29', to: '2026-03-29' });
    expect(reply.body.rows[0].conversions).to.equal(1);
  });

  it('from and to are whole local days, both included; weeks start on Monday and months are calendar months', async () => {
    const { key, sell } = await shopWithSales();
    await sell('2026-11-01T00:30:00Z');
    await sell('2026-11-30T23:30:00Z');
    await sell('2026-12-01T00:30:00Z');
    const total = await suite.api.get('/api/reports?from=2026-11-01&to=2026-11-30&timezone=UTC', { key });
    expect(total.body.rows[0].conversions).to.equal(2);
    const weeks = await suite.api.get('/api/reports?group_by=week&from=2026-11-01&to=2026-11-30&timezone=UTC', { key });
    expect(weeks.body.rows.map((r: { key: string }) => r.key)).to.deep.equal(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']);
    expect(weeks.body.rows.map((r: { conversions: number }) => r.conversions)).to.deep.equal([1, 0, 0, 0, 0, 1]);
    const months = await suite.api.get('/api/reports?group_by=month&from=2026-10-15&to=2026-12-01&timezone=UTC', { key });
    expect(months.body.rows.map((r: { key: string; conversions: number }) => [r.key, r.conversions])).to.deep.equal([['2026-10', 0], ['2026-11', 2], ['2026-12', 1]]);
  });

  it('a refund on day 3 of a sale on day 1 lowers day 1\'s net', async () => {
    const { key, source, sell } = await shopWithSales();
    const session = await sell('2026-06-01T12:00:00Z', 8_000);
    const refund = stripeEvent('charge.refunded', chargeRefunded({ payment_intent: session.payment_intent, amount: 8_000, amount_refunded: 3_000 }), { created: Math.floor(Date.parse('2026-06-03T12:00:00Z') / 1000) });
    await deliverStripe(suite.api, source.id, refund);
    const reply = await suite.api.get('/api/reports?group_by=day&from=2026-06-01&to=2026-06-03&timezone=UTC', { key });
    const byDay = Object.fromEntries(reply.body.rows.map((r: { key: string; net: Record<string, number>; refunded: Record<string, number> }) => [r.key, [r.net, r.refunded]]));
    expect(byDay).to.deep.equal({ '2026-06-01': [{ USD: 5_000 }, { USD: 3_000 }], '2026-06-02': [{}, {}], '2026-06-03': [{}, {}] });
  });

  it('another workspace\'s clicks, conversions and spend never appear', async () => {
    const mine = await shopWithSales();
    const theirs = await shopWithSales();
    const campaign = await suite.api.campaign(theirs.key);
    const link = await suite.api.link(theirs.key, campaign.id);
    await new Visitor(suite.api).click(link.slug);
    await theirs.sell(new Date().toISOString(), 9_999);
    await suite.api.put(`/api/campaigns/${campaign.id}/spend`, [{ date: today(), amount: 100, currency: 'USD' }], { key: theirs.key });
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const group of ['total', 'campaign', 'link', 'source', 'day', 'country', 'referrer']) {
      const reply = await suite.api.get(`/api/reports?group_by=${group}&interval=7d`, { key: mine.key });
      expect(reply.body.totals, group).to.deep.include({ clicks: 0, conversions: 0, net: {} });
      expect(JSON.stringify(reply.body), group).not.to.contain(campaign.id);
    }
    // Their campaign's id is not found through mine.
    expect((await suite.api.get(`/api/campaigns/${campaign.id}/spend`, { key: mine.key })).status).to.equal(404);
  });

  it('refuses bad input with a 400 that names the field', async () => {
    const { key } = await shopWithSales();
    const cases: [string, string][] = [
      ['group_by=campaigns', '/group_by'], ['from=2026-02-30', '/from'], ['from=yesterday', '/from'], ['to=2024-06-30T23:59:60Z', '/to'],
      ['from=2026-11-02&to=2026-11-01', '/from'], ['timezone=Mars/Olympus', '/timezone'], ['model=linear', '/model'],
      ['interval=5d', '/interval'], ['interval=7d&from=2026-11-01', '/interval'], ['currency=ZZZ', '/currency'], ['campaign_id=x', '/campaign_id'],
      ['format=xml', '/format'], ['colour=red', '/colour'],
    ];
    for (const [query, pointer] of cases) {
      const reply = await suite.api.get(`/api/reports?${query}`, { key });
      expect(reply.status, query).to.equal(400);
      expect(reply.body.error.code, query).to.equal('validation_failed');
      expect(reply.body.error.details[0].pointer, query).to.equal(pointer);
    }
    const tooMany = await suite.api.get('/api/reports?group_by=day&from=2020-01-01&to=2026-01-01', { key });
    expect(tooMany.status).to.equal(400);
    expect(tooMany.body.error.message).to.contain('group_by=week or month');
    expect((await suite.api.get('/api/reports?group_by=week&from=2020-01-01&to=2026-01-01', { key })).status).to.equal(200);
    expect((await suite.api.patch('/api/workspace', { timezone: 'Europe/Atlantis' }, { key })).body.error.details[0].pointer).to.equal('/timezone');
  });

  it('spend: upserted per day and currency, 0 deletes, listed by range', async () => {
    const { key } = await suite.api.workspace();
    const campaign = await suite.api.campaign(key);
    const path = `/api/campaigns/${campaign.id}/spend`;
    await suite.api.put(path, [{ date: '2026-11-01', amount: 5_000, currency: 'USD' }, { date: '2026-11-02', amount: 700, currency: 'eur' }], { key });
    const updated = await suite.api.put(path, [{ date: '2026-11-01', amount: 6_000, currency: 'USD' }, { date: '2026-11-02', amount: 0, currency: 'EUR' }], { key });
    expect(updated.status).to.equal(200);
    expect((await suite.api.get(path, { key })).body).to.deep.equal([{ date: '2026-11-01', amount: 6_000, currency: 'USD' }]);
    expect((await suite.api.get(`${path}?from=2026-11-02`, { key })).body).to.deep.equal([]);
    for (const body of [[{ date: '2026-02-30', amount: 1, currency: 'USD' }], [{ date: '2026-11-01', amount: -1, currency: 'USD' }], [{ date: '2026-11-01', amount: 1, currency: 'ZZZ' }], { date: '2026-11-01' }]) {
      expect((await suite.api.put(path, body, { key })).status, JSON.stringify(body)).to.equal(400);
    }
    expect((await suite.api.put(path, [{ date: '2026-11-01', amount: 1, currency: 'USD' }, { date: '2026-11-01', amount: 2, currency: 'usd' }], { key })).status).to.equal(400);
  });

  it('a click shows in reports within 5 seconds', async () => {
    const { key } = await suite.api.workspace();
    const link = await suite.api.link(key, (await suite.api.campaign(key)).id);
    await new Visitor(suite.api).click(link.slug);
    const started = Date.now();
    for (;;) {
      const reply = await suite.api.get('/api/reports?interval=24h', { key });
      if (reply.body.totals.clicks === 1) break;
      expect(Date.now() - started).to.be.below(5_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});


