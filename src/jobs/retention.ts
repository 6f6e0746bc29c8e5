import type { Knex } from 'knex';
import { withJobLock } from './advisory-lock.js';

export const RETENTION_DAYS = 30;

/** Deletes webhook log rows and de-duplication keys older than 30 days, once across all instances. */
export async function runRetention(db: Knex, now = new Date()): Promise<{ deleted_logs: number } | null> {
  return withJobLock(db, 'retention', async (trx) => {
    const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000);
    const deleted = await trx('webhook_logs').where('received_at', '<', cutoff).delete();
    await trx('webhook_events').where('received_at', '<', cutoff).delete();
    return { deleted_logs: deleted };
  });
}
