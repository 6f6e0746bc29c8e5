import type { Knex } from 'knex';
import { saveStatus } from '../sources/health.js';
import { withHeldJobLock } from './advisory-lock.js';

/**
 * Re-derives every connected source's status from its facts: time alone moves a source to `expiring` (its token
 * nears expiry) or `failing` (it expired), without any job having failed.
 */
export async function runSourceHealth(db: Knex, now = new Date()): Promise<{ checked: number; changed: number } | null> {
  return withHeldJobLock(db, 'source-health', async () => {
    const sources: { id: string; status: string }[] = await db('sources').whereNot('status', 'disconnected').select('id', 'status');
    let changed = 0;
    for (const source of sources) {
      const status = await saveStatus(db, source.id, now);
      if (status && status !== source.status) changed++;
    }
    return { checked: sources.length, changed };
  });
}
