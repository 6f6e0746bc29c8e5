import { expect } from 'chai';
import { useService } from '../support/service.js';
import { testDatabase } from '../support/hooks.js';
import { FakeStripe } from '../support/fakes/stripe.js';
import { connectInBrowser, connectedSource } from '../support/oauth.js';
import { signStripe } from '../support/signing.js';
import { checkoutSession, fixture, stripeEvent, uid } from '../support/stripe-events.js';
import { click, conversionsOf, deliverStripe, logsOf, storefront, stripeSource } from '../support/webhooks.js';
import type { Api } from '../support/http.js';

const CONNECT_SECRET = 'whsec_test_Y29ubmVjdC1wbGF0Zm9ybS1zZWNyZXQ';

/** Delivers an event to the platform's Connect endpoint, as Stripe does: signed with the Connect secret. */
function deliverConnect(api: Api, event: unknown, secret = CONNECT_SECRET) {
  const payload = JSON.stringify(event);
  return api.post('/webhooks/stripe/connect', undefined, {
    raw: payload,
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signStripe(payload, secret) },
  });
}

describe('Stripe Connect one-click connections', () => {
  const stripe = new FakeStripe();
  before(() => stripe.start());
  after(() => stripe.stop());
  beforeEach(() => {
    stripe.nextAccount = uid('acct');
    stripe.decline = false;
    stripe.down = false;
  });
  const suite = useService(() => ({ ...stripe.env(), STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET, SYX_PUBLIC_URL: 'https://track.example.com', SYX_ALLOWED_RETURN_HOSTS: 'app.example.com' }));

  it('connects an account in one click: authorize, callback, a source holding the account id and encrypted tokens', async () => {
    const { key } = await suite.api.workspace();
    const started = await suite.api.post('/api/sources/oauth/stripe', { name: 'Main shop', return_url: 'https://app.example.com/sources?tab=1' }, { key });
    expect(started.status).to.equal(200);
    const authorize = new URL(started.body.authorize_url);
    expect(authorize.origin + authorize.pathname).to.equal(`${stripe.url}/oauth/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).to.include({
      client_id: stripe.clientId, response_type: 'code', scope: 'read_only', redirect_uri: 'https://track.example.com/oauth/stripe/callback',
    });
    expect(authorize.searchParams.get('state')).to.be.a('string');

    const { callback } = await connectInBrowser(suite.api, key, 'stripe', { name: 'Main shop', return_url: 'https://app.example.com/sources?tab=1' });
    expect(callback.status).to.equal(302);
    const back = new URL(callback.headers.get('location')!);
    expect(back.origin + back.pathname).to.equal('https://app.example.com/sources');
    expect(back.searchParams.get('tab')).to.equal('1');
    expect(back.searchParams.get('status')).to.equal('connected');

    const source = (await suite.api.get(`/api/sources/${back.searchParams.get('source_id')}`, { key })).body;
    expect(source).to.include({ provider: 'stripe', mode: 'oauth', name: 'Main shop', status: 'active', account_id: stripe.nextAccount });
    expect(source.webhook_url).to.equal('https://track.example.com/webhooks/stripe/connect');
    expect(source.credentials).to.deep.equal({});
    expect(source.health).to.deep.include({ reason: null, last_event_at: null, last_synced_at: null, last_error: null, token_expires_at: null });

    const row = await testDatabase().db('sources').where({ id: source.id }).first();
    expect(row.access_token_encrypted).to.match(/^v1\./);
    expect(JSON.stringify(row)).not.to.contain('sk_test_connected_');
    const tokenRequest = stripe.to('POST', '/oauth/token').at(-1)!;
    expect(tokenRequest.form.get('grant_type')).to.equal('authorization_code');
    expect(tokenRequest.form.get('client_secret')).to.equal(stripe.secretKey);
  });

  it('re-connecting the same account updates its source instead of adding one', async () => {
    const { key } = await suite.api.workspace();
    const first = await connectedSource(suite.api, key, 'stripe');
    const again = await connectInBrowser(suite.api, key, 'stripe', { return_url: 'https://app.example.com/' });
    const back = new URL(again.callback.headers.get('location')!);
    expect(back.searchParams.get('source_id')).to.equal(first.id);
    expect(back.searchParams.get('status')).to.equal('reconnected');
    expect((await suite.api.get('/api/sources', { key })).body.data).to.have.length(1);
  });

  it('refuses an account already connected to another workspace, with a page that says so', async () => {
    const owner = await suite.api.workspace();
    await connectedSource(suite.api, owner.key, 'stripe');
    const other = await suite.api.workspace();
    const { callback } = await connectInBrowser(suite.api, other.key, 'stripe');
    expect(callback.status).to.equal(409);
    expect(callback.headers.get('content-type')).to.contain('text/html');
    expect(callback.body).to.contain('already connected to another Synaptyx workspace');
  });

  it('routes Connect events by account through the same pipeline, reading promotion codes as the account', async () => {
    const shop = await storefront(suite.api);
    const source = await connectedSource(suite.api, shop.key, 'stripe');
    const clickId = await click(suite.api, shop.link.slug);
    const sale = await deliverConnect(suite.api, stripeEvent('checkout.session.completed', checkoutSession({ metadata: { synaptyx_clickid: clickId } }), { account: source.account_id }));
    expect(sale.status).to.equal(200);
    expect(sale.body.outcome).to.equal('attributed');

    // Webhooks carry promotion codes as ids: the code is read with the platform key acting as the account.
    const promotionCode = stripe.addPromotionCode(shop.couponCode);
    const session = checkoutSession({ metadata: {}, client_reference_id: null, discounts: [{ coupon: null, promotion_code: promotionCode }] });
    stripe.addSession(source.account_id, session);
    const coupon = await deliverConnect(suite.api, stripeEvent('checkout.session.completed', session, { account: source.account_id }));
    expect(coupon.body.outcome).to.equal('attributed');
    const lookup = stripe.to('GET', `/v1/checkout/sessions/${session.id}`).at(-1)!;
    expect(lookup.headers.authorization).to.equal(`Bearer ${stripe.secretKey}`);
    expect(lookup.headers['stripe-account']).to.equal(source.account_id);

    const conversions = await conversionsOf(suite.api, shop.key);
    expect(conversions.map((c) => [c.source_id, c.attribution]).sort()).to.deep.equal([[source.id, 'coupon'], [source.id, 'metadata']]);
    expect(await logsOf(suite.api, shop.key, source.id)).to.have.length(2);
  });

  it('logs an event for an unknown account and answers 200; refuses a bad signature with 400', async () => {
    const event: any = stripeEvent('checkout.session.completed', checkoutSession(), { account: uid('acct') });
    const unknown = await deliverConnect(suite.api, event);
    expect(unknown.status).to.equal(200);
    expect(unknown.body.outcome).to.equal('ignored');
    const logged = await testDatabase().db('webhook_logs').where({ provider_event_id: event.id }).first();
    expect(logged).to.include({ source_id: null, outcome: 'ignored' });
    expect(logged.detail).to.contain(event.account);

    const forged = await deliverConnect(suite.api, stripeEvent('checkout.session.completed', checkoutSession(), { account: uid('acct') }), 'whsec_not_the_platform_secret');
    expect(forged.status).to.equal(400);
    expect(forged.body.error.code).to.equal('invalid_signature');
  });

  it('account.application.deauthorized marks the source disconnected', async () => {
    const { key } = await suite.api.workspace();
    const source = await connectedSource(suite.api, key, 'stripe');
    const event = { ...fixture('stripe.account.application.deauthorized.json'), id: uid('evt'), created: Math.floor(Date.now() / 1000), account: source.account_id };
    const reply = await deliverConnect(suite.api, event);
    expect(reply.status).to.equal(200);
    const after = (await suite.api.get(`/api/sources/${source.id}`, { key })).body;
    expect(after.status).to.equal('disconnected');
    const row = await testDatabase().db('sources').where({ id: source.id }).first();
    expect(row, 'a revoked grant leaves no tokens behind').to.include({ access_token_encrypted: null, refresh_token_encrypted: null });
    // Later events for the account find no source.
    expect((await deliverConnect(suite.api, stripeEvent('checkout.session.completed', checkoutSession(), { account: source.account_id }))).body.outcome).to.equal('ignored');
  });

  it('account.application.deauthorized on an API-key source\'s own endpoint leaves the source connected', async () => {
    const { key } = await suite.api.workspace();
    const source = await stripeSource(suite.api, key);
    // The merchant's own account removing some other application: signed by the merchant's endpoint secret.
    const event = { ...fixture('stripe.account.application.deauthorized.json'), id: uid('evt'), created: Math.floor(Date.now() / 1000), account: uid('acct') };
    const reply = await deliverStripe(suite.api, source.id, event);
    expect(reply.status).to.equal(200);
    expect(reply.body.outcome).to.equal('ignored');
    expect((await suite.api.get(`/api/sources/${source.id}`, { key })).body.status).to.equal('active');
    const [log] = await logsOf(suite.api, key, source.id);
    expect(log.detail).to.contain('not Synaptyx');
  });

  it('DELETE deauthorizes at Stripe and disconnects', async () => {
    const { key } = await suite.api.workspace();
    const source = await connectedSource(suite.api, key, 'stripe');
    const reply = await suite.api.delete(`/api/sources/${source.id}`, { key });
    expect(reply.status).to.equal(200);
    expect(reply.body).to.include({ status: 'disconnected' });
    expect(reply.body.provider_disconnect).to.deep.equal({ status: 'done' });
    expect(stripe.connected.has(source.account_id)).to.equal(false);
    const deauthorize = stripe.to('POST', '/oauth/deauthorize').at(-1)!;
    expect(Object.fromEntries(deauthorize.form)).to.deep.equal({ client_id: stripe.clientId, stripe_user_id: source.account_id });
    const row = await testDatabase().db('sources').where({ id: source.id }).first();
    expect(row.access_token_encrypted).to.equal(null);
  });

  it('DELETE disconnects locally when Stripe does not answer, and says so', async () => {
    const { key } = await suite.api.workspace();
    const source = await connectedSource(suite.api, key, 'stripe');
    stripe.down = true;
    const reply = await suite.api.delete(`/api/sources/${source.id}`, { key });
    stripe.down = false;
    expect(reply.status).to.equal(200);
    expect(reply.body.status).to.equal('disconnected');
    expect(reply.body.provider_disconnect.status).to.equal('unreachable');
    expect(reply.body.provider_disconnect.message).to.contain('Stripe');
    expect((await suite.api.get(`/api/sources/${source.id}`, { key })).body.status).to.equal('disconnected');
  });
});

describe('one-click connections without a platform app', () => {
  const suite = useService();

  it('answers a clear 400 for each provider, and the Connect endpoint does not exist', async () => {
    const { key } = await suite.api.workspace();
    for (const provider of ['stripe', 'polar']) {
      const reply = await suite.api.post(`/api/sources/oauth/${provider}`, undefined, { key });
      expect(reply.status).to.equal(400);
      expect(reply.body.error.code).to.equal('oauth_not_configured');
      expect(reply.body.error.message).to.contain(provider === 'stripe' ? 'STRIPE_CLIENT_ID' : 'POLAR_CLIENT_ID');
    }
    expect((await suite.api.post('/api/sources/oauth/paypal', undefined, { key })).status).to.equal(400);
    expect((await suite.api.post('/api/sources/oauth/stripe', undefined)).status).to.equal(401);
    const callback = await suite.api.get('/oauth/stripe/callback?code=x&state=y');
    expect(callback.status).to.equal(400);
    expect(callback.body).to.contain('One-click Stripe connections are off');
    expect((await suite.api.post('/webhooks/stripe/connect', { id: 'evt_1' })).status).to.equal(404);
  });
});
