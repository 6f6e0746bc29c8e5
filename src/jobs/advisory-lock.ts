import type { Knex } from 'knex';

/**
 * Runs `work` only if no other instance holds the job's PostgreSQL advisory lock; the lock is tied to the
 * transaction, so a crashed instance can never leave it held. Returns null when another instance has it.
 */
export async function withJobLock<T>(db: Knex, job: string, work: (trx: Knex.Transaction) => Promise<T>): Promise<T | null> {
  return db.transaction(async (trx) => {
    const { rows } = await trx.raw('SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0)) AS locked', [`synaptyx job ${job}`]);
    return rows[0].locked ? work(trx) : null;
  });
}
