import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { inMemoryKnexConfig, knexConfig, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrations.js';

/**
 * The database the whole run shares: a fresh PostgreSQL database created inside TEST_DATABASE_URL's server
 * (dropped at the end), or, when no server is named, an in-memory embedded PostgreSQL.
 */
export interface TestDatabase {
  db: Knex;
  /** A connection string another process can use, or null for the in-memory database. */
  url: string | null;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!serverUrl) {
    const db = openDatabase(await inMemoryKnexConfig());
    await migrateToLatest(db);
    return { db, url: null, drop: () => db.destroy() };
  }
  const name = `syx_test_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory.knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // The service's own settings (pool, statement and connection timeouts), on the run's database.
  const db = openDatabase(await knexConfig({ databaseUrl: url.href, dataDir: '' }));
  await migrateToLatest(db);
  return {
    db,
    url: url.href,
    async drop() {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
