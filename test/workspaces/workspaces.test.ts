import { expect } from 'chai';
import { ADMIN_TOKEN, useService } from '../support/service.js';
import { Api } from '../support/http.js';
import { createApiKey, revokeApiKey } from '../../src/workspaces/api-keys.js';
import { testDatabase } from '../support/hooks.js';

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
    for (const bad of [undefined, 'nonsense', `${key.slice(0, -1)}x`, 'syx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', second.key]) {
      const reply = await suite.api.get('/api/campaigns', { key: bad });
      expect(reply.status, String(bad)).to.equal(401);
    }
    expect((await suite.api.get('/api/campaigns', { key })).status).to.equal(200);
  });
});
