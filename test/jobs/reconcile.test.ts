import { expect } from 'chai';
import knexFactory from 'knex';
import { useService } from '../support/service.js';
import { testDatabase } from '../support/hooks.js';
import { FakeStripe } from '../support/fakes/stripe.js';
import { FakePolar } from '../support/fakes/polar.js';
import { FakeLemonSqueezy, lemonId } from '../support/fakes/lemonsqueezy.js';
import { FakePaddle } from '../support/fakes/paddle.js';
import { bearer } from '../support/fakes/fake-server.js';
import { deliverLemon, lemonEvent, lemonSource } from '../support/lemonsqueezy-events.js';
import { deliverPaddle, paddleId, paddleSource, paddleTransaction } from '../support/paddle-events.js';
import { connectedSource } from '../support/oauth.js';
import { deliverToEndpoint, polarEvent, polarOrder } from '../support/polar-events.js';
import { signStripe } from '../support/signing.js';
import { checkoutSession, stripeEvent, uid } from '../support/stripe-events.js';
import { click, conversionsOf, logsOf, storefront, stripeSource } from '../support/webhooks.js';

const CONNECT_SECRET = 'whsec_test_cmVjb25jaWxlLWNvbm5lY3Qtc2VjcmV0';
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('reconciliation', () => {
  const stripe = new FakeStripe();
  const polar = new FakePolar();
  const lemon = new FakeLemonSqueezy();
  const paddle = new FakePaddle();
  // Every provider's API is a fake: the job reads every source in the shared database, other test files' too.
  before(() => Promise.all([stripe.start(), polar.start(), lemon.start(), paddle.start()]));
  after(() => Promise.all([stripe.stop(), polar.stop(), lemon.stop(), paddle.stop()]));
  beforeEach(() => {
    stripe.nextAccount = uid('acct');
    polar.newOrganization();
    stripe.down = false;
    polar.down = false;
  });
  const suite = useService(() => ({ ...stripe.env(), ...polar.env(), ...lemon.env(), ...paddle.env(), STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET }));
  const connectedAnHourAgo = (sourceId: string) => testDatabase().db('sources').where({ id: sourceId }).update({ created_at: new Date(Date.now() - 3_600_000) });

  const reconcile = () => suite.running.service.jobs.run('reconcile');
  const now = () => Math.floor(Date.now() / 1000);

  function deliverConnect(event: unknown) {
    const payload = JSON.stringify(event);
    return suite.api.post('/webhooks/stripe/connect', undefined, {
      raw: payload,
      headers: { 'content-type': 'application/json', 'stripe-signature': signStripe(payload, CONNECT_SECRET) },
    });
  }

  it('records a Connect sale whose webhook never arrived, once, without counting the one that did arrive twice', async () => {
    const shop = await storefront(suite.api);
    const source = await connectedSource(suite.api, shop.key, 'stripe');
    // Connected an hour ago; the lost sale is 20 minutes old, long past the time its webhook needed.
    await testDatabase().db('sources').where({ id: source.id }).update({ created_at: new Date(Date.now() - 3_600_000) });
    const [arrived, missed] = [await click(suite.api, shop.link.slug), await click(suite.api, shop.link.slug)];
    const delivered = checkoutSession({ created: now() - 120, metadata: { synaptyx_clickid: arrived } });
    const lost = checkoutSession({ created: now() - 1200, metadata: { synaptyx_clickid: missed } });
    const unpaid = checkoutSession({ created: now() - 30, payment_status: 'unpaid' });
    for (const session of [delivered, lost, unpaid]) stripe.addSession(source.account_id, session);
    expect((await deliverConnect(stripeEvent('checkout.session.completed', delivered, { account: source.account_id }))).body.outcome).to.equal('attributed');

    const result = (await reconcile()) as { recovered: number };
    expect(result.recovered).to.be.at.least(1);
    const conversions = await conversionsOf(suite.api, shop.key);
    expect(conversions.map((c) => c.click_id).sort()).to.deep.equal([arrived, missed].sort());
    const logs = await logsOf(suite.api, shop.key, source.id);
    expect(logs).to.have.length(2);
    expect(logs[0]).to.include({ outcome: 'attributed', provider_event_id: `reconcile:${lost.id}`, event_type: 'checkout.session.completed' });
    expect(logs[0].detail).to.contain('(reconciled)');
    const listing = stripe.to('GET', '/v1/checkout/sessions').at(-1)!;
    expect(listing.headers['stripe-account']).to.equal(source.account_id);
    expect(listing.query.get('status')).to.equal('complete');

    // Again: nothing new, nothing logged.
    await reconcile();
    expect(await conversionsOf(suite.api, shop.key)).to.have.length(2);
    expect(await logsOf(suite.api, shop.key, source.id)).to.have.length(2);
    let current = (await suite.api.get(`/api/sources/${source.id}`, { key: shop.key })).body;
    expect(Date.parse(current.health.last_synced_at)).to.be.closeTo(Date.now(), 60_000);
    expect(current.health.last_event_at, 'the delivered webhook, not the reconciled sale').to.equal(current.last_event_at);
    expect(Date.parse(current.last_event_at)).to.be.below(Date.parse(current.health.last_synced_at));
    // A sale that came only through reconciliation says the webhooks are broken, until one arrives again.
    expect(current.status).to.equal('failing');
    expect(current.health.reason).to.contain('1 sale(s) reached Synaptyx only through reconciliation');
    const next = checkoutSession({ created: now(), metadata: { synaptyx_clickid: arrived } });
    expect((await deliverConnect(stripeEvent('checkout.session.completed', next, { account: source.account_id }))).status).to.equal(200);
    current = (await suite.api.get(`/api/sources/${source.id}`, { key: shop.key })).body;
    expect(current.status).to.equal('active');
    expect(current.health.reason).to.equal(null);
  });

  it('the webhook arriving after reconciliation recorded the sale is a duplicate, not a second conversion', async () => {
    const shop = await storefront(suite.api);
    const source = await connectedSource(suite.api, shop.key, 'stripe');
    const session = checkoutSession({ created: now() - 10, metadata: { synaptyx_clickid: await click(suite.api, shop.link.slug) } });
    // From before the source was connected: backfilled, but no webhook was ever due for it.
    const before = checkoutSession({ created: now() - 7200, metadata: {} });
    stripe.addSession(source.account_id, session);
    stripe.addSession(source.account_id, before);
    const { recovered } = (await reconcile()) as { recovered: number };
    expect(recovered).to.be.at.least(2);
    // Neither proves a missed webhook: one predates the connection, the other's webhook may still be on its way.
    expect((await suite.api.get(`/api/sources/${source.id}`, { key: shop.key })).body.status).to.equal('active');
    const late = await deliverConnect(stripeEvent('checkout.session.completed', session, { account: source.account_id }));
    expect(late.body.outcome).to.equal('duplicate');
    expect(await conversionsOf(suite.api, shop.key)).to.have.length(2);
  });

  it('reads a merchant key source with its own key', async () => {
    const shop = await storefront(suite.api);
    const apiKey = `sk_test_${uid('merchant')}`;
    stripe.apiKeys.add(apiKey);
    const source = await stripeSource(suite.api, shop.key, { api_key: apiKey });
    stripe.addSession(`key:${apiKey}`, checkoutSession({ created: now() - 5, metadata: {}, client_reference_id: await click(suite.api, shop.link.slug) }));
    await reconcile();
    const [conversion] = await conversionsOf(suite.api, shop.key);
    expect(conversion).to.include({ source_id: source.id, attribution: 'client_reference_id' });
    expect(stripe.to('GET', '/v1/checkout/sessions').at(-1)!.headers['stripe-account']).to.equal(undefined);
  });

  it('records a Polar order whose webhook never arrived, by the same rules', async () => {
    const shop = await storefront(suite.api);
    const source = await connectedSource(suite.api, shop.key, 'polar');
    const endpoint = [...polar.endpoints.values()].find((candidate) => candidate.url.endsWith(source.id))!;
    const arrived = polarOrder({ metadata: { synaptyx_clickid: await click(suite.api, shop.link.slug) } });
    const missed = polarOrder({ metadata: {}, discount: { ...arrived.discount, code: shop.couponCode } });
    const pending = polarOrder({ status: 'pending', paid: false });
    polar.orders.push(arrived, missed, pending);
    expect((await deliverToEndpoint(suite.api, endpoint, polarEvent('order.paid', arrived))).body.outcome).to.equal('attributed');

    await reconcile();
    await reconcile();
    const conversions = await conversionsOf(suite.api, shop.key);
    expect(conversions.map((c) => [c.provider_order_id, c.attribution]).sort()).to.deep.equal([[arrived.id, 'metadata'], [missed.id, 'coupon']].sort());
    const reconciled = (await logsOf(suite.api, shop.key, source.id)).filter((log) => log.detail.includes('reconciled'));
    expect(reconciled.map((log) => log.provider_event_id)).to.deep.equal([`reconcile:${missed.id}`]);
    const listing = polar.to('GET', '/v1/orders').at(-1)!;
    expect(listing.query.getAll('status')).to.deep.equal(['paid', 'refunded', 'partially_refunded']);
    expect(listing.query.get('created_after')).to.be.a('string');
  });

  it('Lemon Squeezy: pages back through the orders to the cutoff and records the one whose webhook never came, once', async () => {
    const shop = await storefront(suite.api);
    const apiKey = lemon.newKey();
    const source = await lemonSource(suite.api, shop.key, apiKey);
    await connectedAnHourAgo(source.id);
    const clickId = await click(suite.api, shop.link.slug);
    const customer = Number(lemonId());
    // The API returns orders without their custom data: the missed sale is found through its customer's earlier sale.
    const arrived = lemonEvent('order_created', { clickId, attributes: { customer_id: customer, created_at: ago(40), total: 4900 } });
    const missed = lemonEvent('order_created', { attributes: { customer_id: customer, created_at: ago(20), total: 1500 } });
    const pending = lemonEvent('order_created', { attributes: { created_at: ago(15), status: 'pending' } });
    const old = lemonEvent('order_created', { attributes: { created_at: ago(3 * 24 * 60) } });
    const older = lemonEvent('order_created', { attributes: { created_at: ago(4 * 24 * 60) } });
    for (const event of [arrived, missed, pending, old, older]) lemon.addOrder(apiKey, { type: 'orders', id: event.data.id, attributes: event.data.attributes });
    expect((await deliverLemon(suite.api, source.id, arrived)).body.outcome).to.equal('attributed');

    await reconcile();
    await reconcile();
    const conversions = await conversionsOf(suite.api, shop.key);
    expect(conversions.map((c) => [c.provider_order_id, c.attribution, c.amount]).sort()).to.deep.equal([
      [arrived.data.id, 'metadata', 4900], [missed.data.id, 'customer', 1500],
    ].sort());
    const reconciled = (await logsOf(suite.api, shop.key, source.id)).filter((log) => log.detail.includes('reconciled'));
    expect(reconciled.map((log) => [log.provider_event_id, log.event_type])).to.deep.equal([[`reconcile:${missed.data.id}`, 'order_created']]);
    // Newest first, two a page: the page holding the first order older than the cutoff is the last one read.
    const pages = lemon.to('GET', '/v1/orders').filter((request) => bearer(request) === apiKey).map((request) => request.query.get('page[number]'));
    expect(pages).to.deep.equal(['1', '2', '1', '2']);
    expect((await suite.api.get(`/api/sources/${source.id}`, { key: shop.key })).body.status, 'a missed webhook').to.equal('failing');
  });

  it('Paddle: lists completed transactions since the cutoff, page by page, and records the one whose webhook never came, once', async () => {
    const shop = await storefront(suite.api);
    const apiKey = paddle.newKey();
    const source = await paddleSource(suite.api, shop.key, { api_key: apiKey });
    await connectedAnHourAgo(source.id);
    const [arrivedClick, missedClick] = [await click(suite.api, shop.link.slug), await click(suite.api, shop.link.slug)];
    const arrived = paddleTransaction({ clickId: arrivedClick, data: { created_at: ago(40) } });
    const missed = paddleTransaction({ clickId: missedClick, data: { created_at: ago(20) } });
    const billed = paddleTransaction({ data: { created_at: ago(15), status: 'billed' } });
    const old = paddleTransaction({ data: { created_at: ago(3 * 24 * 60) } });
    const more = Array.from({ length: 3 }, (_, i) => paddleTransaction({ data: { id: paddleId('txn'), created_at: ago(30 - i), custom_data: null } }));
    for (const event of [arrived, missed, billed, old, ...more]) paddle.addTransaction(apiKey, event.data);
    expect((await deliverPaddle(suite.api, source.id, arrived)).body.outcome).to.equal('attributed');

    await reconcile();
    await reconcile();
    const conversions = await conversionsOf(suite.api, shop.key);
    expect(conversions).to.have.length(5);
    expect(conversions.find((c) => c.provider_order_id === missed.data.id)).to.include({ attribution: 'metadata', click_id: missedClick, amount: 65215 });
    expect(conversions.map((c) => c.provider_order_id)).to.not.include.members([billed.data.id, old.data.id]);
    const reconciled = (await logsOf(suite.api, shop.key, source.id)).filter((log) => log.detail.includes('reconciled'));
    expect(reconciled.map((log) => log.provider_event_id).sort()).to.deep.equal([missed, ...more].map((event) => `reconcile:${event.data.id}`).sort());
    const listings = paddle.to('GET', '/transactions').filter((request) => bearer(request) === apiKey);
    const first = listings.find((request) => !request.query.get('after'))!;
    expect(first.query.get('status')).to.equal('completed');
    expect(Date.parse(first.query.get('created_at[GTE]')!)).to.be.closeTo(Date.now() - 25 * 3_600_000, 120_000);
    expect(listings.filter((request) => request.query.get('after')).length, 'paged with the after cursor').to.be.at.least(2);
  });
  it('a provider that does not answer marks the source failing with the reason; the next good run clears it', async () => {
    const { key } = await suite.api.workspace();
    const source = await connectedSource(suite.api, key, 'stripe');
    stripe.down = true;
    await reconcile();
    stripe.down = false;
    let current = (await suite.api.get(`/api/sources/${source.id}`, { key })).body;
    expect(current.status).to.equal('failing');
    expect(current.health.reason).to.contain('Reconciliation could not list Stripe sales');
    expect(current.health.last_error.message).to.equal(current.health.reason);
    expect(current.health.last_synced_at).to.equal(null);

    await reconcile();
    current = (await suite.api.get(`/api/sources/${source.id}`, { key })).body;
    expect(current.status).to.equal('active');
    expect(current.health.last_error).to.equal(null);
    expect(current.health.last_synced_at).to.be.a('string');
  });

  it('runs once across instances: while another holds the advisory lock, a run skips', async () => {
    const { url } = testDatabase();
    if (!url) return; // the embedded database serves one process: nothing to race
    const other = knexFactory.knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
    try {
      const trx = await other.transaction();
      await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', ['synaptyx job reconcile']);
      expect(await reconcile()).to.equal(null);
      await trx.commit();
      expect(await reconcile()).to.not.equal(null);
    } finally {
      await other.destroy();
    }
  });
});
