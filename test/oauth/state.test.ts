import { expect } from 'chai';
import { useService } from '../support/service.js';
import { testDatabase } from '../support/hooks.js';
import { FakeStripe } from '../support/fakes/stripe.js';
import { FakePolar } from '../support/fakes/polar.js';
import { authorizeInBrowser, followCallback } from '../support/oauth.js';
import { OAuthStates } from '../../src/sources/oauth-states.js';

describe('OAuth state: signed, single-use, 10 minutes, bound to its workspace and provider', () => {
  const stripe = new FakeStripe();
  const polar = new FakePolar();
  before(() => Promise.all([stripe.start(), polar.start()]));
  after(() => Promise.all([stripe.stop(), polar.stop()]));
  beforeEach(() => {
    stripe.nextAccount = `acct_${Math.random().toString(36).slice(2)}`;
    polar.newOrganization();
  });
  afterEach(() => {
    stripe.decline = false;
    polar.decline = false;
  });
  const suite = useService(() => ({ ...stripe.env(), ...polar.env(), SYX_PUBLIC_URL: 'https://track.example.com', SYX_ALLOWED_RETURN_HOSTS: 'app.example.com,admin.example.com:8443' }));

  const stateOf = (callbackUrl: string) => new URL(callbackUrl).searchParams.get('state')!;
  const sources = async (key: string) => (await suite.api.get('/api/sources', { key })).body.data;

  it('refuses a replayed state with a page that says the link was used', async () => {
    const { key } = await suite.api.workspace();
    const callbackUrl = await authorizeInBrowser(suite.api, key, 'stripe');
    expect((await followCallback(suite.api, callbackUrl)).status).to.equal(200);
    const replay = await followCallback(suite.api, callbackUrl);
    expect(replay.status).to.equal(400);
    expect(replay.headers.get('content-type')).to.contain('text/html');
    expect(replay.headers.get('cache-control')).to.equal('no-store');
    expect(replay.body).to.contain('already used');
    expect(await sources(key)).to.have.length(1);
  });

  it('refuses an expired state', async () => {
    const { id: workspaceId, key } = await suite.api.workspace();
    const states = new OAuthStates({ db: testDatabase().db, secret: suite.running.config.secret });
    const issuedLongAgo = await states.issue('stripe', { workspaceId, returnUrl: null, sourceName: null, sessionId: null }, new Date(Date.now() - 11 * 60_000));
    const reply = await suite.api.get(`/oauth/stripe/callback?code=ac_whatever&state=${encodeURIComponent(issuedLongAgo)}`);
    expect(reply.status).to.equal(400);
    expect(reply.body).to.contain('expired');
    expect(await sources(key)).to.have.length(0);
  });

  it('refuses a forged, altered or missing state, and one issued for the other provider', async () => {
    const { id: workspaceId, key } = await suite.api.workspace();
    const callbackUrl = await authorizeInBrowser(suite.api, key, 'stripe');
    const state = stateOf(callbackUrl);
    const code = new URL(callbackUrl).searchParams.get('code');
    const [payload, signature] = state.split('.');
    const otherWorkspace = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), w: 'ws_someone_else' })).toString('base64url');
    const forgedElsewhere = new OAuthStates({ db: testDatabase().db, secret: 'another-service-secret-0123456789abcdef' });
    const foreign = await forgedElsewhere.issue('stripe', { workspaceId, returnUrl: null, sourceName: null, sessionId: null });
    for (const bad of [`${otherWorkspace}.${signature}`, `${payload}.${signature.slice(0, -2)}xx`, 'garbage', foreign]) {
      const reply = await suite.api.get(`/oauth/stripe/callback?code=${code}&state=${encodeURIComponent(bad)}`);
      expect(reply.status, bad).to.equal(400);
      expect(reply.body).to.contain('was not issued by Synaptyx');
    }
    expect((await suite.api.get(`/oauth/stripe/callback?code=${code}`)).body).to.contain('without a state');
    // A Stripe state at Polar's callback.
    const wrongProvider = await suite.api.get(`/oauth/polar/callback?code=polar_ac_x&state=${encodeURIComponent(state)}`);
    expect(wrongProvider.status).to.equal(400);
    expect(wrongProvider.body).to.contain('for this provider');
    // None of that used the genuine state up: it still connects.
    expect((await followCallback(suite.api, callbackUrl)).status).to.equal(200);
    expect(await sources(key)).to.have.length(1);
  });

  it('shows a clear page when the merchant declines at the provider, and uses the state up', async () => {
    const { key } = await suite.api.workspace();
    for (const [provider, fake] of [['stripe', stripe], ['polar', polar]] as const) {
      fake.decline = true;
      const callbackUrl = await authorizeInBrowser(suite.api, key, provider);
      expect(new URL(callbackUrl).searchParams.get('error')).to.equal('access_denied');
      const reply = await followCallback(suite.api, callbackUrl);
      expect(reply.status).to.equal(400);
      expect(reply.body).to.contain('The connection was cancelled at');
      expect(reply.body).to.contain('Nothing changed');
      expect((await followCallback(suite.api, callbackUrl)).body).to.contain('already used');
    }
    expect(await sources(key)).to.have.length(0);
  });

  it('shows a clear page when the provider refuses the code', async () => {
    const { key } = await suite.api.workspace();
    const callbackUrl = new URL(await authorizeInBrowser(suite.api, key, 'stripe'));
    callbackUrl.searchParams.set('code', 'ac_never_issued');
    const reply = await followCallback(suite.api, callbackUrl.href);
    expect(reply.status).to.equal(400);
    expect(reply.body).to.contain('Stripe refused: invalid_grant');
  });

  it('validates the start body', async () => {
    const { key } = await suite.api.workspace();
    const reply = await suite.api.post('/api/sources/oauth/polar', { return_url: 'javascript:alert(1)', extra: true }, { key });
    expect(reply.status).to.equal(400);
    expect(reply.body.error.details.map((d: { pointer: string }) => d.pointer)).to.have.members(['/return_url', '/extra']);
    // Looks like a URL to the pattern, is none: refused now rather than after the merchant connected.
    const unparsable = await suite.api.post('/api/sources/oauth/polar', { return_url: 'https://[shop' }, { key });
    expect(unparsable.status).to.equal(400);
    expect(unparsable.body.error.details).to.deep.equal([{ in: 'body', pointer: '/return_url', message: 'must be an absolute http(s) URL with a host, and no spaces or credentials' }]);
  });

  it('sends the browser back only to the service itself or a host the operator listed: no open redirect', async () => {
    const { key } = await suite.api.workspace();
    for (const url of ['https://track.example.com/app/sources', 'https://app.example.com/x', 'https://APP.example.com:444/x', 'https://admin.example.com:8443/s']) {
      expect((await suite.api.post('/api/sources/oauth/stripe', { return_url: url }, { key })).status, url).to.equal(200);
    }
    for (const url of ['https://evil.example.net/', 'http://track.example.com/app', 'https://track.example.com.evil.net/', 'https://admin.example.com/s', 'https://app.example.com@evil.net/']) {
      const reply = await suite.api.post('/api/sources/oauth/stripe', { return_url: url }, { key });
      expect(reply.status, url).to.equal(400);
      expect(reply.body.error.details[0].pointer, url).to.equal('/return_url');
    }
  });
});
