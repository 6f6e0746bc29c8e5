import { expect } from 'chai';
import { useService } from '../support/service.js';
import { testDatabase } from '../support/hooks.js';
import { FakePolar } from '../support/fakes/polar.js';
import { connectInBrowser, connectedSource } from '../support/oauth.js';
import { deliverToEndpoint, polarEvent, polarOrder } from '../support/polar-events.js';
import { click, conversionsOf, storefront } from '../support/webhooks.js';
import { SecretBox } from '../../src/sources/secret-box.js';

describe('Polar one-click connections', () => {
  const polar = new FakePolar();
  before(() => polar.start());
  after(() => polar.stop());
  beforeEach(() => {
    polar.newOrganization();
    polar.down = false;
  });
  const suite = useService(() => ({ ...polar.env(), SYX_PUBLIC_URL: 'https://track.example.com', SYX_ALLOWED_RETURN_HOSTS: 'app.example.com' }));

  const endpointOf = (sourceId: string) => [...polar.endpoints.values()].find((endpoint) => endpoint.url.endsWith(`/webhooks/polar/${sourceId}`));

  it('connects in one click: the scopes, the organization, a provisioned raw endpoint whose secret is kept encrypted', async () => {
    const { key } = await suite.api.workspace();
    const started = await suite.api.post('/api/sources/oauth/polar', undefined, { key });
    const authorize = new URL(started.body.authorize_url);
    expect(authorize.origin + authorize.pathname).to.equal(`${polar.url}/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).to.include({
      client_id: polar.clientId,
      response_type: 'code',
      redirect_uri: 'https://track.example.com/oauth/polar/callback',
      sub_type: 'organization',
      scope: 'orders:read refunds:read discounts:read organizations:read webhooks:read webhooks:write',
    });

    const { callback } = await connectInBrowser(suite.api, key, 'polar');
    expect(callback.status).to.equal(200);
    expect(callback.body).to.contain('is connected to Synaptyx');
    const [source] = (await suite.api.get('/api/sources', { key })).body.data;
    expect(source).to.include({ provider: 'polar', mode: 'oauth', status: 'active', account_id: polar.organization.id, name: polar.organization.name });
    expect(source.webhook_url).to.equal(`https://track.example.com/webhooks/polar/${source.id}`);
    const expiresIn = Date.parse(source.credentials.expires_at) - Date.now();
    expect(expiresIn).to.be.within(9.9 * 86_400_000, 10 * 86_400_000);
    expect(source.health.token_expires_at).to.equal(source.credentials.expires_at);

    const endpoint = endpointOf(source.id)!;
    expect(endpoint).to.include({ url: source.webhook_url, format: 'raw', organization_id: polar.organization.id });
    expect(endpoint.events).to.include.members(['order.paid', 'order.created', 'order.updated', 'order.refunded', 'refund.created', 'refund.updated', 'subscription.created']);
    const row = await testDatabase().db('sources').where({ id: source.id }).first();
    expect(row.provider_webhook_id).to.equal(endpoint.id);
    expect(new SecretBox(suite.running.config.encryptionKeys).open(row.webhook_secret_encrypted)).to.equal(endpoint.secret);
    const stored = JSON.stringify(row);
    for (const secret of [endpoint.secret, polar.issued.at(-1)!.access, polar.issued.at(-1)!.refresh]) expect(stored).not.to.contain(secret);
    const tokenRequest = polar.to('POST', '/v1/oauth2/token').at(-1)!;
    expect(Object.fromEntries(tokenRequest.form)).to.include({ grant_type: 'authorization_code', client_id: polar.clientId, client_secret: polar.clientSecret, redirect_uri: 'https://track.example.com/oauth/polar/callback' });
  });

  it('receives sales at the provisioned endpoint, verified with its secret', async () => {
    const shop = await storefront(suite.api);
    const source = await connectedSource(suite.api, shop.key, 'polar');
    const clickId = await click(suite.api, shop.link.slug);
    const reply = await deliverToEndpoint(suite.api, endpointOf(source.id)!, polarEvent('order.paid', polarOrder({ metadata: { synaptyx_clickid: clickId } })));
    expect(reply.status).to.equal(200);
    expect(reply.body.outcome).to.equal('attributed');
    expect((await conversionsOf(suite.api, shop.key))[0]).to.include({ source_id: source.id, attribution: 'metadata', amount: 9720 });
  });

  it('a re-connect keeps the source and replaces the endpoint: the old secret stops working', async () => {
    const { key } = await suite.api.workspace();
    const source = await connectedSource(suite.api, key, 'polar');
    const old = { ...endpointOf(source.id)! };
    const again = await connectInBrowser(suite.api, key, 'polar', { return_url: 'https://app.example.com/' });
    expect(new URL(again.callback.headers.get('location')!).searchParams.get('source_id')).to.equal(source.id);
    const current = endpointOf(source.id)!;
    expect(current.id).to.not.equal(old.id);
    expect(polar.endpoints.has(old.id)).to.equal(false);
    expect((await suite.api.get('/api/sources', { key })).body.data).to.have.length(1);
    expect((await deliverToEndpoint(suite.api, old, polarEvent('order.paid', polarOrder()))).status).to.equal(400);
    expect((await deliverToEndpoint(suite.api, current, polarEvent('order.paid', polarOrder()))).status).to.equal(200);
  });

  it('DELETE deletes the endpoint, revokes the tokens and disconnects', async () => {
    const { key } = await suite.api.workspace();
    const source = await connectedSource(suite.api, key, 'polar');
    const endpoint = endpointOf(source.id)!;
    const tokens = polar.issued.at(-1)!;
    const reply = await suite.api.delete(`/api/sources/${source.id}`, { key });
    expect(reply.status).to.equal(200);
    expect(reply.body.status).to.equal('disconnected');
    expect(reply.body.provider_disconnect).to.deep.equal({ status: 'done' });
    expect(polar.endpoints.has(endpoint.id)).to.equal(false);
    expect(polar.isRevoked(tokens.access)).to.equal(true);
    expect(polar.isRevoked(tokens.refresh)).to.equal(true);
    const revocations = polar.to('POST', '/v1/oauth2/revoke').slice(-2).map((request) => request.form.get('token_type_hint'));
    expect(revocations).to.deep.equal(['refresh_token', 'access_token']);
  });

  it('DELETE disconnects locally when Polar does not answer, and says so', async () => {
    const { key } = await suite.api.workspace();
    const source = await connectedSource(suite.api, key, 'polar');
    polar.down = true;
    const reply = await suite.api.delete(`/api/sources/${source.id}`, { key });
    polar.down = false;
    expect(reply.status).to.equal(200);
    expect(reply.body.status).to.equal('disconnected');
    expect(reply.body.provider_disconnect.status).to.equal('unreachable');
    expect(reply.body.provider_disconnect.message).to.contain('Polar');
    // Its endpoint's deliveries are refused from now on.
    const leftover = endpointOf(source.id)!;
    expect((await deliverToEndpoint(suite.api, leftover, polarEvent('order.paid', polarOrder()))).status).to.equal(404);

    // The endpoint Polar could not delete is remembered: connecting the organization again removes it.
    await connectInBrowser(suite.api, key, 'polar');
    expect(polar.endpoints.has(leftover.id)).to.equal(false);
    expect(endpointOf(source.id)!.id).to.not.equal(leftover.id);
    expect((await suite.api.get(`/api/sources/${source.id}`, { key })).body.status).to.equal('active');
  });

  it('shows a page and keeps nothing when Polar does not answer during the connection', async () => {
    const { key } = await suite.api.workspace();
    const started = await suite.api.post('/api/sources/oauth/polar', undefined, { key });
    const consent = await fetch(started.body.authorize_url, { redirect: 'manual' });
    polar.down = true;
    const callbackUrl = new URL(consent.headers.get('location')!);
    const reply = await suite.api.get(callbackUrl.pathname + callbackUrl.search);
    polar.down = false;
    expect(reply.status).to.equal(502);
    expect(reply.body).to.contain('Polar could not be reached');
    expect((await suite.api.get('/api/sources', { key })).body.data).to.have.length(0);
  });
});
