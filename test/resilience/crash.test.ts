import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import knexFactory from 'knex';
import { knexConfig } from '../../src/db/database.js';
import { testDatabase } from '../support/hooks.js';
import { BROWSER_UA } from '../support/http.js';
import { databaseEnv, startProcess, type ServiceProcess } from '../support/processes.js';

const CLICKS = 1000;
const CONCURRENCY = 10;
/**
 * A click is queued in memory and written within one flush interval (SYX_CLICK_FLUSH_MS, default 10 ms) plus
 * the write itself. Measured at the client, a 302 arrives after the server queued the click, so the clicks
 * answered in the last flush interval plus this margin before the kill are all the ones a crash may lose.
 */
const MARGIN_MS = 40;

/** The ids of the link's stored clicks, read from the database itself (the embedded one once no process holds it). */
async function storedClickIds(database: Record<string, string>, linkId: string): Promise<Set<string>> {
  const db = database.DATABASE_URL ? testDatabase().db : knexFactory.knex(await knexConfig({ databaseUrl: null, dataDir: database.SYX_DATA_DIR }));
  try {
    const rows: { id: string }[] = await db('clicks').select('id').where({ link_id: linkId });
    return new Set(rows.map((row) => row.id));
  } finally {
    if (!database.DATABASE_URL) await db.destroy();
  }
}

describe('kill -9', () => {
  it('restarts on the same data with no manual step, losing at most the clicks of the last flush window', async function () {
    this.timeout(300_000);
    const database = databaseEnv('syx-crash-');
    const flushMs = 10; // SYX_CLICK_FLUSH_MS is left at its default
    const processes: ServiceProcess[] = [];
    try {
      const firstStarted = performance.now();
      const first = await startProcess(database);
      const firstStartMs = performance.now() - firstStarted;
      processes.push(first);
      const { key } = await first.api.workspace();
      const link = await first.api.link(key, (await first.api.campaign(key)).id);

      // 1,000 human clicks, CONCURRENCY at a time; when each 302 arrived, by click id.
      const answered = new Map<string, number>();
      let sent = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (sent < CLICKS) {
            sent++;
            const reply = await first.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } });
            const at = performance.now();
            expect(reply.status).to.equal(302);
            const clickId = new URL(reply.headers.get('location')!).searchParams.get('clickid');
            expect(clickId, reply.headers.get('location')!).to.be.a('string');
            answered.set(clickId!, at);
          }
        }),
      );
      const killedAt = performance.now();
      await first.kill9();
      expect(first.status(), first.output()).to.deep.equal({ code: null, signal: 'SIGKILL' });
      expect(answered.size).to.equal(CLICKS);

      // Same env, same port, same data: the embedded data dir still holds the dead process's lock file.
      const second = await startProcess({ ...database, PORT: String(first.port) });
      processes.push(second);
      const restartMs = performance.now() - killedAt;

      const window = flushMs + MARGIN_MS;
      const recent = [...answered.values()].filter((at) => killedAt - at <= window).length;
      const reply = await second.api.get(`/api/links/${link.id}`, { key });
      expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
      const kept: number = reply.body.clicks;

      // Which clicks were lost, and how long before the kill they had been answered.
      expect(await second.stop(), second.output()).to.equal(0);
      const stored = await storedClickIds(database, link.id);
      const lostAges = [...answered].filter(([id]) => !stored.has(id)).map(([, at]) => killedAt - at);
      const oldestLost = lostAges.length ? Math.max(...lostAges) : 0;

      console.log(
        `      kill -9 (${database.DATABASE_URL ? 'postgresql' : 'embedded'}): kept ${kept}/${CLICKS} clicks, ` +
          `${recent} answered in the last ${window} ms, lost ones answered ≤ ${oldestLost.toFixed(1)} ms before the kill; ` +
          `restart ${Math.round(restartMs)} ms (kill to healthy; the first start took ${Math.round(firstStartMs)} ms)`,
      );
      expect(kept).to.equal(stored.size);
      expect(kept).to.be.at.most(CLICKS);
      expect(kept).to.be.at.least(CLICKS - recent);
      expect([...stored].every((id) => answered.has(id)), 'only clicks that were sent are stored').to.equal(true);
      expect(oldestLost, `a click answered ${oldestLost.toFixed(1)} ms before the kill was lost`).to.be.at.most(window);
    } finally {
      await Promise.all(processes.map((service) => service.kill9()));
      if (database.SYX_DATA_DIR) rmSync(database.SYX_DATA_DIR, { recursive: true, force: true });
    }
  });
});
