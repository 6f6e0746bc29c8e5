import { expect } from 'chai';
import knexFactory from 'knex';
import { runRetention } from '../../src/jobs/retention.js';
import { newId } from '../../src/ids.js';
import { testDatabase } from '../support/hooks.js';
import { useService } from '../support/service.js';
import { Api } from '../support/http.js';

describe('webhook log retention', () => {
  const suite = useService();

  async function sourceWithLogs(ages: number[]): Promise<string> {
    const { key } = await suite.api.workspace();
    const source = await suite.api.post('/api/sources', { provider: 'stripe', mode: 'api_key', api_key: 'sk_test_retention_1234', webhook_secret: 'whsec_retention_1234' }, { key });
    const { db } = testDatabase();
    for (const days of ages) {
      const receivedAt = new Date(Date.now() - days * 86_400_000);
      await db('webhook_logs').insert({ id: newId('whl'), source_id: source.body.id, provider: 'stripe', provider_event_id: `evt_${days}`, event_type: 'x', outcome: 'ignored', detail: '', received_at: receivedAt });
      await db('webhook_events').insert({ source_id: source.body.id, provider_event_id: `evt_${days}`, received_at: receivedAt });
    }
    return source.body.id;
  }

  it('deletes log rows and de-duplication keys older than 30 days, and keeps the rest', async () => {
    const sourceId = await sourceWithLogs([45, 31, 29, 1]);
    const result = await runRetention(testDatabase().db);
    expect(result?.deleted_logs).to.be.at.least(2);
    const { db } = testDatabase();
    const kept = await db('webhook_logs').where({ source_id: sourceId }).orderBy('provider_event_id').pluck('provider_event_id');
    expect(kept).to.deep.equal(['evt_1', 'evt_29']);
    const keys = await db('webhook_events').where({ source_id: sourceId }).orderBy('provider_event_id').pluck('provider_event_id');
    expect(keys).to.deep.equal(['evt_1', 'evt_29']);
  });

  it('deletes sessions idle past 14 days and keeps current ones', async () => {
    const { db } = testDatabase();
    const { id: workspaceId } = await suite.api.workspace();
    const userId = newId('usr');
    await db('users').insert({ id: userId, email: `${userId}@example.com` });
    await db('memberships').insert({ workspace_id: workspaceId, user_id: userId, role: 'owner' });
    const row = (id: string, days: number) => ({ id, user_id: userId, workspace_id: workspaceId, csrf_token: 'x', last_seen_at: new Date(Date.now() - days * 86_400_000) });
    await db('sessions').insert([row(`${userId}-old`, 15), row(`${userId}-new`, 13)]);
    const result = await runRetention(db);
    expect(result?.deleted_sessions).to.be.at.least(1);
    expect(await db('sessions').where({ user_id: userId }).pluck('id')).to.deep.equal([`${userId}-new`]);
  });

  it('runs once across instances: while one holds the advisory lock, another skips', async function () {
    const { url } = testDatabase();
    if (!url) {
      // The embedded database has one connection, so two instances cannot overlap there; nothing to race.
      const result = await runRetention(testDatabase().db);
      expect(result).to.not.equal(null);
      return;
    }
    const other = knexFactory.knex({ client: 'pg', connection: url, pool: { min: 0, max: 2 } });
    try {
      const trx = await other.transaction();
      await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', ['synaptyx job retention']);
      expect(await runRetention(testDatabase().db)).to.equal(null);
      await trx.commit();
      expect(await runRetention(testDatabase().db)).to.not.equal(null);
    } finally {
      await other.destroy();
    }
  });
});
