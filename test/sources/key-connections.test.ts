import { expect } from 'chai';
import { useService } from '../support/service.js';
import { testDatabase } from '../support/hooks.js';
import { FakeLemonSqueezy } from '../support/fakes/lemonsqueezy.js';
import { FakePaddle } from '../support/fakes/paddle.js';
import { FakePolar } from '../support/fakes/polar.js';
import { SecretBox } from '../../src/sources/secret-box.js';
import { deliverLemon, lemonEvent, LEMON_WEBHOOK_SECRET } from '../support/lemonsqueezy-events.js';
import { deliverPaddle, paddleTransaction } from '../support/paddle-events.js';
import { deliverToEndpoint, polarEvent, polarOrder } from '../support/polar-events.js';
import { click, conversionsOf, storefront } from '../support/webhooks.js';
import { uid } from '../support/stripe-events.js';

describe('connecting a source by pasting one API key', () => {
  const lemon = new FakeLemonSqueezy();
  const paddle = new FakePaddle();
  const polar = new FakePolar();
  before(() => Promise.all([lemon.start(), paddle.start(), polar.start()]));
  after(() => Promise.all([lemon.stop(), paddle.stop(), polar.stop()]));
  beforeEach(() => {
    lemon.down = false;
    paddle.down = false;
    polar.down = false;
  });
  const suite = useService(() => ({ ...lemon.env(), ...paddle.env(), ...polar.env(), SYX_PUBLIC_URL: 'https://track.example.com' }));

  const connect = (key: string, body: Record<string, unknown>) => suite.api.post('/api/sources', { mode: 'api_key', ...body }, { key });
  const row = (id: string) => testDatabase().db('sources').where({ id }).first();
  const opened = (sealed: string) => new SecretBox(suite.running.config.encryptionKeys).open(sealed);
  const sourcesOf = async (key: string) => (await suite.api.get('/api/sources', { key })).body.data;

  describe('Lemon Squeezy', () => {
    it('checks the key, creates a webhook in every store with the source URL, the events and a generated secret, kept encrypted', async () => {
      const { key } = await suite.api.workspace();
      const apiKey = lemon.newKey({ stores: 2 });
      const reply = await connect(key, { provider: 'lemonsqueezy', api_key: apiKey });
      expect(reply.status).to.equal(201);
      const source = reply.body;
      expect(source).to.include({ provider: 'lemonsqueezy', mode: 'api_key', status: 'active', test_mode: false, name: 'Lemon shop 1, Lemon shop 2' });
      expect(source.webhook_url).to.equal(`https://track.example.com/webhooks/lemonsqueezy/${source.id}`);
      const webhooks = lemon.webhooksOf(source.id);
      expect(webhooks.map((webhook) => webhook.storeId).sort()).to.deep.equal(lemon.keys.get(apiKey)!.stores.map((store) => store.id).sort());
      for (const webhook of webhooks) {
        expect(webhook).to.include({ url: source.webhook_url, testMode: false });
        expect(webhook.events).to.have.members(['order_created', 'order_refunded', 'subscription_created', 'subscription_updated', 'subscription_payment_success', 'subscription_payment_refunded']);
        expect(webhook.secret).to.have.length.within(6, 40);
      }
      expect(new Set(webhooks.map((webhook) => webhook.secret)).size, 'one secret for the source').to.equal(1);
      const stored = await row(source.id);
      expect(opened(stored.webhook_secret_encrypted)).to.equal(webhooks[0].secret);
      expect(stored.provider_webhook_id.split(',').sort()).to.deep.equal(webhooks.map((webhook) => webhook.id).sort());
      expect(JSON.stringify([stored, source])).not.to.contain(webhooks[0].secret).and.not.to.contain(apiKey);

      // Its deliveries are verified with that secret.
      const delivered = await deliverLemon(suite.api, source.id, lemonEvent('order_created'), { secret: webhooks[0].secret });
      expect(delivered.body.outcome).to.equal('orphan_no_clickid');
      expect((await deliverLemon(suite.api, source.id, lemonEvent('order_created'))).status, 'another secret').to.equal(400);
    });

    it('a test-mode key makes a test source with test-mode webhooks', async () => {
      const { key } = await suite.api.workspace();
      const source = (await connect(key, { provider: 'lemonsqueezy', api_key: lemon.newKey({ testMode: true }) })).body;
      expect(source.test_mode).to.equal(true);
      expect(lemon.webhooksOf(source.id)[0].testMode).to.equal(true);
    });

    it('with the secret of a webhook the merchant made, creates nothing but still learns the key\'s mode', async () => {
      const { key } = await suite.api.workspace();
      const before = lemon.webhooks.size;
      const reply = await connect(key, { provider: 'lemonsqueezy', api_key: lemon.newKey({ testMode: true }), webhook_secret: LEMON_WEBHOOK_SECRET });
      expect(reply.status).to.equal(201);
      expect(reply.body.test_mode).to.equal(true);
      expect(lemon.webhooks.size).to.equal(before);
      expect((await row(reply.body.id)).provider_webhook_id).to.equal(null);
    });

    it('a key Lemon Squeezy refuses is a 400 naming api_key, and nothing is stored or created', async () => {
      const { key } = await suite.api.workspace();
      const before = lemon.webhooks.size;
      for (const body of [{}, { webhook_secret: LEMON_WEBHOOK_SECRET }]) {
        const reply = await connect(key, { provider: 'lemonsqueezy', api_key: 'not-a-lemon-squeezy-key', ...body });
        expect(reply.status).to.equal(400);
        expect(reply.body.error.code).to.equal('validation_failed');
        expect(reply.body.error.details).to.deep.equal([{ in: 'body', pointer: '/api_key', message: 'Lemon Squeezy checking the API key: answered 401 (Unauthenticated.)' }]);
      }
      expect(await sourcesOf(key)).to.deep.equal([]);
      expect(lemon.webhooks.size).to.equal(before);
    });

    it('a Lemon Squeezy that does not answer is a 502, and nothing is stored', async () => {
      const { key } = await suite.api.workspace();
      lemon.down = true;
      const reply = await connect(key, { provider: 'lemonsqueezy', api_key: lemon.newKey() });
      expect(reply.status).to.equal(502);
      expect(reply.body.error.code).to.equal('provider_unavailable');
      expect(await sourcesOf(key)).to.deep.equal([]);
    });

    it('disconnecting deletes the webhooks it created; their deliveries are refused', async () => {
      const { key } = await suite.api.workspace();
      const source = (await connect(key, { provider: 'lemonsqueezy', api_key: lemon.newKey({ stores: 2 }) })).body;
      const [webhook] = lemon.webhooksOf(source.id);
      const reply = await suite.api.delete(`/api/sources/${source.id}`, { key });
      expect(reply.status).to.equal(200);
      expect(reply.body).to.deep.include({ status: 'disconnected', provider_disconnect: { status: 'done' } });
      expect(lemon.webhooksOf(source.id)).to.deep.equal([]);
      expect((await row(source.id)).provider_webhook_id).to.equal(null);
      expect((await deliverLemon(suite.api, source.id, lemonEvent('order_created'), { secret: webhook.secret })).status).to.equal(404);
    });

    it('a disconnect Lemon Squeezy does not answer keeps the webhook ids and says what to do', async () => {
      const { key } = await suite.api.workspace();
      const source = (await connect(key, { provider: 'lemonsqueezy', api_key: lemon.newKey() })).body;
      lemon.down = true;
      const reply = await suite.api.delete(`/api/sources/${source.id}`, { key });
      lemon.down = false;
      expect(reply.body.status).to.equal('disconnected');
      expect(reply.body.provider_disconnect.status).to.equal('unreachable');
      expect(reply.body.provider_disconnect.message).to.contain("delete the webhook endpoint Synaptyx created in Lemon Squeezy's settings");
      expect((await row(source.id)).provider_webhook_id).to.equal(lemon.webhooksOf(source.id)[0].id);
    });
  });

  describe('Paddle', () => {
    it('checks the key, creates a notification destination for the source URL and keeps the secret Paddle returns, encrypted', async () => {
      const shop = await storefront(suite.api);
      const apiKey = paddle.newKey();
      const reply = await connect(shop.key, { provider: 'paddle', api_key: apiKey });
      expect(reply.status).to.equal(201);
      const source = reply.body;
      const destination = paddle.destinationOf(source.id)!;
      expect(destination).to.include({ destination: `https://track.example.com/webhooks/paddle/${source.id}`, type: 'url', traffic_source: 'platform', api_version: 1 });
      expect(destination.subscribed_events).to.have.members(['transaction.completed', 'adjustment.created', 'adjustment.updated', 'subscription.created', 'subscription.updated']);
      const stored = await row(source.id);
      expect(opened(stored.webhook_secret_encrypted)).to.equal(destination.endpoint_secret_key);
      expect(stored.provider_webhook_id).to.equal(destination.id);
      expect(JSON.stringify(stored)).not.to.contain(destination.endpoint_secret_key);
      expect(paddle.to('GET', '/transactions').at(-1)!.query.get('per_page'), 'the key was checked').to.equal('1');

      const clickId = await click(suite.api, shop.link.slug);
      const delivered = await deliverPaddle(suite.api, source.id, paddleTransaction({ clickId }), { secret: destination.endpoint_secret_key });
      expect(delivered.body.outcome).to.equal('attributed');
      expect((await conversionsOf(suite.api, shop.key))[0]).to.include({ source_id: source.id, amount: 65215, currency: 'USD', click_id: clickId });
    });

    it('a refused key, or one without the permission to create the destination, is a 400 naming api_key; nothing is stored', async () => {
      const { key } = await suite.api.workspace();
      const bad = await connect(key, { provider: 'paddle', api_key: 'pdl_live_apikey_unknown_0000' });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.details[0]).to.include({ pointer: '/api_key' });
      expect(bad.body.error.details[0].message).to.contain('answered 401 (authentication_malformed');
      const readOnly = await connect(key, { provider: 'paddle', api_key: paddle.newKey({ notifications: false }) });
      expect(readOnly.status).to.equal(400);
      expect(readOnly.body.error.details[0].message).to.contain('notification_setting.write');
      expect(await sourcesOf(key)).to.deep.equal([]);
    });

    it('with a secret, nothing is asked of Paddle; disconnecting deletes only a destination Synaptyx created', async () => {
      const { key } = await suite.api.workspace();
      const requests = paddle.requests.length;
      const own = await connect(key, { provider: 'paddle', api_key: 'pdl_live_apikey_merchant_made_0001', webhook_secret: 'pdl_ntfset_merchant_made_secret' });
      expect(own.status).to.equal(201);
      expect(paddle.requests.length).to.equal(requests);
      expect((await suite.api.delete(`/api/sources/${own.body.id}`, { key })).body.provider_disconnect.status).to.equal('not_applicable');

      const made = (await connect(key, { provider: 'paddle', api_key: paddle.newKey() })).body;
      expect(paddle.destinationOf(made.id)).to.not.equal(undefined);
      expect((await suite.api.delete(`/api/sources/${made.id}`, { key })).body.provider_disconnect).to.deep.equal({ status: 'done' });
      expect(paddle.destinationOf(made.id)).to.equal(undefined);
    });
  });

  describe('Polar', () => {
    it('an organization access token without a secret gets its webhook endpoint created, as the OAuth path does', async () => {
      const shop = await storefront(suite.api);
      const token = `polar_oat_${uid('key')}`;
      polar.apiKeys.add(token);
      const reply = await connect(shop.key, { provider: 'polar', api_key: token });
      expect(reply.status).to.equal(201);
      const source = reply.body;
      const endpoint = [...polar.endpoints.values()].find((candidate) => candidate.url === source.webhook_url)!;
      expect(endpoint).to.include({ format: 'raw' });
      expect(endpoint.events).to.include.members(['order.paid', 'order.refunded', 'refund.created', 'subscription.created']);
      expect(polar.to('POST', '/v1/webhooks/endpoints').at(-1)!.json, 'the token names its organization').to.not.have.property('organization_id');
      const stored = await row(source.id);
      expect(opened(stored.webhook_secret_encrypted)).to.equal(endpoint.secret);
      expect(stored.provider_webhook_id).to.equal(endpoint.id);

      const clickId = await click(suite.api, shop.link.slug);
      const delivered = await deliverToEndpoint(suite.api, endpoint, polarEvent('order.paid', polarOrder({ metadata: { synaptyx_clickid: clickId } })));
      expect(delivered.body.outcome).to.equal('attributed');

      expect((await suite.api.delete(`/api/sources/${source.id}`, { key: shop.key })).body.provider_disconnect).to.deep.equal({ status: 'done' });
      expect(polar.endpoints.has(endpoint.id)).to.equal(false);
    });

    it('a token Polar refuses is a 400 naming api_key', async () => {
      const { key } = await suite.api.workspace();
      const reply = await connect(key, { provider: 'polar', api_key: 'polar_oat_refused_000000' });
      expect(reply.status).to.equal(400);
      expect(reply.body.error.details[0]).to.include({ pointer: '/api_key' });
      expect(await sourcesOf(key)).to.deep.equal([]);
    });
  });

  it('Stripe webhooks are made by the merchant: without a secret, a 400 naming webhook_secret', async () => {
    const { key } = await suite.api.workspace();
    const reply = await connect(key, { provider: 'stripe', api_key: 'sk_test_no_secret_000000' });
    expect(reply.status).to.equal(400);
    expect(reply.body.error.details).to.deep.equal([{ in: 'body', pointer: '/webhook_secret', message: 'is required for stripe' }]);
  });

  it('Lemon Squeezy and Paddle have no one-click connection: the answer says to paste a key', async () => {
    const { key } = await suite.api.workspace();
    for (const provider of ['lemonsqueezy', 'paddle']) {
      const reply = await suite.api.post(`/api/sources/oauth/${provider}`, undefined, { key });
      expect(reply.status).to.equal(400);
      expect(reply.body.error.code).to.equal('oauth_not_supported');
    }
  });
});
