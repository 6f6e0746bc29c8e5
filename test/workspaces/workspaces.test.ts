import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ADMIN_TOKEN, testEnv, useService } from '../support/service.js';
import { createApiKey, revokeApiKey } from '../../src/workspaces/api-keys.js';
import { testDatabase } from '../support/hooks.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** `npm run --silent cli -- <args>` against the test database, as an operator would run it. */
async function cli(databaseUrl: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, ...testEnv(), DATABASE_URL: databaseUrl };
  return promisify(execFile)('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: ROOT, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe('workspaces and API keys', () => {
  const suite = useService();

  it('creates a workspace with the admin token and shows its key once', async () => {
    const reply = await suite.api.post('/api/workspaces', { name: 'Acme' }, { key: ADMIN_TOKEN });
    expect(reply.status).to.equal(201);
    expect(reply.body.workspace).to.include({ name: 'Acme' });
    expect(reply.body.workspace.id).to.match(/^ws_[0-9A-Z]{26}$/);
    expect(new Date(reply.body.workspace.created_at).toISOString()).to.equal(reply.body.workspace.created_at);
    expect(reply.body.api_key).to.match(/^syx_[A-Za-z0-9_-]{32}$/);
    const stored = await testDatabase().db('api_keys').where({ workspace_id: reply.body.workspace.id });
    expect(stored).to.have.length(1);
    expect(JSON.stringify(stored)).not.to.contain(reply.body.api_key.slice(12));
  });

  it('refuses a missing or wrong admin token, and a workspace API key, with 401', async () => {
    const { key } = await suite.api.workspace();
    for (const token of [undefined, 'wrong-token', key]) {
      const reply = await suite.api.post('/api/workspaces', { name: 'Acme' }, { key: token });
      expect(reply.status).to.equal(401);
      expect(reply.body.error.code).to.equal('unauthorized');
    }
  });

  it('validates the body, naming each bad field', async () => {
    const missing = await suite.api.post('/api/workspaces', {}, { key: ADMIN_TOKEN });
    expect(missing.status).to.equal(400);
    expect(missing.body.error).to.deep.include({ code: 'validation_failed' });
    expect(missing.body.error.details).to.deep.equal([{ in: 'body', pointer: '/name', message: 'is required' }]);
    const wrong = await suite.api.post('/api/workspaces', { name: '', color: 'red' }, { key: ADMIN_TOKEN });
    expect(wrong.body.error.details.map((d: { pointer: string }) => d.pointer)).to.have.members(['/name', '/color']);
  });

  it('accepts a workspace key and refuses missing, malformed, unknown and revoked keys', async () => {
    const { id, key } = await suite.api.workspace();
    expect((await suite.api.get('/api/campaigns', { key })).status).to.equal(200);
    const second = await createApiKey(id);
    expect((await suite.api.get('/api/campaigns', { key: second.key })).status).to.equal(200);
    await revokeApiKey(second.prefix);
    const lastCharChanged = key.slice(0, -1) + (key.endsWith('x') ? 'y' : 'x');
    for (const bad of [undefined, 'nonsense', lastCharChanged, 'syx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', second.key]) {
      const reply = await suite.api.get('/api/campaigns', { key: bad });
      expect(reply.status, String(bad)).to.equal(401);
    }
    expect((await suite.api.get('/api/campaigns', { key })).status).to.equal(200);
  });

  it('guards every workspace endpoint with the key, before looking at the request', async () => {
    const { key } = await suite.api.workspace();
    const campaign = await suite.api.campaign(key);
    const link = await suite.api.link(key, campaign.id);
    const requests: [string, string, unknown?][] = [
      ['GET', '/api/campaigns'],
      ['POST', '/api/campaigns', { nonsense: true }],
      ['GET', `/api/campaigns/${campaign.id}`],
      ['PATCH', `/api/campaigns/${campaign.id}`, { name: 'Mine now' }],
      ['DELETE', `/api/campaigns/${campaign.id}`],
      ['GET', '/api/links?limit=0'],
      ['POST', '/api/links', { campaign_id: campaign.id }],
      ['GET', `/api/links/${link.id}`],
      ['PATCH', `/api/links/${link.id}`, { destination_url: 'https://evil.example.com/' }],
      ['DELETE', `/api/links/${link.id}`],
    ];
    for (const [method, path, body] of requests) {
      for (const bad of [undefined, ADMIN_TOKEN, 'syx_not-a-real-key-at-all-000000000000']) {
        const reply = await suite.api.request(method, path, body, { key: bad });
        expect(reply.status, `${method} ${path} with ${bad}`).to.equal(401);
        expect(reply.body.error.code).to.equal('unauthorized');
      }
    }
    const unchanged = await suite.api.get(`/api/links/${link.id}`, { key });
    expect(unchanged.body).to.include({ destination_url: campaign.destination_url, archived_at: null });
  });

  it('serves a workspace made on the command line, and refuses its key once revoked there', async function () {
    this.timeout(60_000);
    const url = testDatabase().url;
    if (!url) this.skip(); // the in-memory database lives in this process; the command line cannot reach it

    const created = await cli(url, 'workspace', 'create', '--name', 'Made on the CLI');
    expect(created.code, created.stderr).to.equal(0);
    const printed = JSON.parse(created.stdout);
    expect(printed.workspace).to.include({ name: 'Made on the CLI' });
    expect(printed.workspace.id).to.match(/^ws_[0-9A-Z]{26}$/);
    expect(printed.api_key).to.match(/^syx_[A-Za-z0-9_-]{32}$/);
    expect((await suite.api.get('/api/campaigns', { key: printed.api_key })).status).to.equal(200);

    const revoked = await cli(url, 'key', 'revoke', printed.api_key.slice(0, 12));
    expect(revoked.code, revoked.stderr).to.equal(0);
    const reply = await suite.api.get('/api/campaigns', { key: printed.api_key });
    expect(reply.status).to.equal(401);
    expect(reply.body.error.code).to.equal('unauthorized');
  });
});
