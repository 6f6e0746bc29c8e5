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

const runningHere = new Set<string>();

/**
 * For jobs that talk to providers for a while and write through other connections (the webhook pipeline): a
 * session-level advisory lock held by one pinned connection, outside any transaction, released when the work
 * ends (PostgreSQL drops it with the connection if the instance dies). Returns null when another run has it.
 * The embedded database has a single connection that every query needs, and it serves one process only, so
 * there the guard is in-process.
 */
export async function withHeldJobLock<T>(db: Knex, job: string, work: () => Promise<T>): Promise<T | null> {
  if (runningHere.has(job)) return null;
  runningHere.add(job);
  try {
    if (singleConnection(db)) return await work();
    const key = `synaptyx job ${job}`;
    const connection = await db.client.acquireConnection();
    try {
      const { rows } = await db.raw('SELECT pg_try_advisory_lock(hashtextextended(?, 0)) AS locked', [key]).connection(connection);
      if (!rows[0].locked) return null;
      try {
        return await work();
      } finally {
        await db.raw('SELECT pg_advisory_unlock(hashtextextended(?, 0))', [key]).connection(connection);
      }
    } finally {
      await db.client.releaseConnection(connection);
    }
  } finally {
    runningHere.delete(job);
  }
}

function singleConnection(db: Knex): boolean {
  return (db.client.config as { pool?: { max?: number } }).pool?.max === 1;
}
