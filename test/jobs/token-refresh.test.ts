import { expect } from 'chai';
import { useService } from '../support/service.js';
import { testDatabase } from '../support/hooks.js';
import { FakePolar } from '../support/fakes/polar.js';
import { connectedSource } from '../support/oauth.js';
import { SecretBox } from '../../src/sources/secret-box.js';

describe('token refresh and source health', () => {
  const polar = new FakePolar();
  before(() => polar.start());
  after(() => polar.stop());
  beforeEach(() => {
    polar.newOrganization();
    polar.refreshOutage = false;
  });
  const suite = useService(() => polar.env());

  const row = (id: string) => testDatabase().db('sources').where({ id }).first();
  const opened = async (id: string) => {
    const box = new SecretBox(suite.running.config.encryptionKeys);
    const source = await row(id);
    return { access: box.open(source.access_token_encrypted), refresh: box.open(source.refresh_token_encrypted) };
  };
  const refresh = () => suite.running.service.jobs.run('token-refresh');
  /** A Polar source whose access token has an hour left (inside the 48 h margin); refreshed ones get 10 days. */
  async function connectedWithAnHourLeft(key: string) {
    polar.accessTokenTtl = 3600;
    const source = await connectedSource(suite.api, key, 'polar');
    polar.accessTokenTtl = 864_000;
    return source;
  }
  const view = async (key: string, id: string) => (await suite.api.get(`/api/sources/${id}`, { key })).body;

  it('refreshes a token well before it expires and stores the rotated refresh token', async () => {
    const { key } = await suite.api.workspace();
    const source = await connectedWithAnHourLeft(key);
    expect(source.status).to.equal('expiring');
    expect(source.health.reason).to.contain('has not been refreshed yet');
    const before = await opened(source.id);

    await refresh();
    const first = await opened(source.id);
    expect(first.access).to.not.equal(before.access);
    expect(first.refresh).to.not.equal(before.refresh);
    expect(polar.isRevoked(before.refresh)).to.equal(true);
    expect(polar.issued.some((pair) => pair.access === first.access && pair.refresh === first.refresh)).to.equal(true);
    const request = polar.to('POST', '/v1/oauth2/token').at(-1)!;
    expect(Object.fromEntries(request.form)).to.include({ grant_type: 'refresh_token', refresh_token: before.refresh, client_id: polar.clientId });

    // Ten days later (within the margin again) the rotated token is the one that works: the old one was revoked.
    await testDatabase().db('sources').where({ id: source.id }).update({ token_expires_at: new Date(Date.now() + 3_600_000) });
    await refresh();
    const second = await opened(source.id);
    expect(second.refresh).to.not.equal(first.refresh);
    expect(polar.isRevoked(first.refresh)).to.equal(true);
    const current = await view(key, source.id);
    expect(current.status).to.equal('active');
    expect(current.health.last_error).to.equal(null);
  });

  it('leaves tokens with days to live alone', async () => {
    const { key } = await suite.api.workspace();
    const source = await connectedSource(suite.api, key, 'polar');
    const before = await opened(source.id);
    await refresh();
    expect(await opened(source.id)).to.deep.equal(before);
  });

  it('a refresh that fails marks the source expiring with the reason, and back to active once it works', async () => {
    const { key } = await suite.api.workspace();
    const source = await connectedWithAnHourLeft(key);
    const before = await opened(source.id);
    polar.refreshOutage = true;
    await refresh();
    let current = await view(key, source.id);
    expect(current.status).to.equal('expiring');
    expect(current.health.reason).to.contain('Token refresh failed (Polar answered 503');
    expect(current.health.last_error.message).to.contain('Polar answered 503');
    expect((await row(source.id)).status).to.equal('expiring');
    // Nothing was lost: the stored refresh token is still the live one.
    expect((await opened(source.id)).refresh).to.equal(before.refresh);

    polar.refreshOutage = false;
    await refresh();
    current = await view(key, source.id);
    expect(current.status).to.equal('active');
    expect(current.health.last_error).to.equal(null);
  });

  it('a refused refresh token asks for a reconnect, and an expired token makes the source failing', async () => {
    const { key } = await suite.api.workspace();
    const source = await connectedWithAnHourLeft(key);
    // The merchant revoked the app in Polar.
    const { refresh: refreshToken } = await opened(source.id);
    await fetch(`${polar.url}/v1/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token', client_id: polar.clientId, client_secret: polar.clientSecret }),
    });
    await refresh();
    let current = await view(key, source.id);
    expect(current.status, 'only a reconnect can renew it').to.equal('failing');
    expect(current.health.reason).to.contain('Token refresh refused (Polar refused: invalid_grant').and.contain('reconnect');
    expect((await row(source.id)).refresh_token_encrypted, 'the dead refresh token is dropped').to.equal(null);
    const refreshes = polar.to('POST', '/v1/oauth2/token').length;
    await refresh();
    expect(polar.to('POST', '/v1/oauth2/token').length, 'no further refresh is tried').to.equal(refreshes);

    await testDatabase().db('sources').where({ id: source.id }).update({ token_expires_at: new Date(Date.now() - 60_000) });
    await suite.running.service.jobs.run('source-health');
    current = await view(key, source.id);
    expect(current.status).to.equal('failing');
    expect(current.health.reason).to.contain('The access token expired');
    expect((await row(source.id)).status).to.equal('failing');
  });
});
