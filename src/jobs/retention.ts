import type { Knex } from 'knex';
import { withJobLock } from './advisory-lock.js';
import { SESSION_IDLE_MS } from '../accounts/sessions.js';
import { WINDOW_MS } from '../accounts/sign-in-throttle.js';

export const RETENTION_DAYS = 30;

/**
 * Deletes webhook log rows and de-duplication keys older than 30 days, and what the dashboard no longer needs
 * (sessions idle past their expiry, counted sign-in failures past their window, one-time links used or expired
 * a day ago), once across all instances.
 */
export async function runRetention(db: Knex, now = new Date()): Promise<{ deleted_logs: number; deleted_sessions: number } | null> {
  return withJobLock(db, 'retention', async (trx) => {
    const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000);
    const deleted = await trx('webhook_logs').where('received_at', '<', cutoff).delete();
    await trx('webhook_events').where('received_at', '<', cutoff).delete();
    const sessions = await trx('sessions').where('last_seen_at', '<', new Date(now.getTime() - SESSION_IDLE_MS)).delete();
    await trx('sign_in_failures').where('failed_at', '<', new Date(now.getTime() - WINDOW_MS)).delete();
    const dayAgo = new Date(now.getTime() - 86_400_000);
    await trx('account_links').where('expires_at', '<', dayAgo).orWhere('used_at', '<', dayAgo).delete();
    return { deleted_logs: deleted, deleted_sessions: sessions };
  });
}
