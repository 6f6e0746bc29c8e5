import { existsSync, mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { Model } from 'objection';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { lockDataDir } from './data-dir-lock.js';

// BIGINT counts (count(*)) arrive as strings by default; they always fit a JS number here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** The longest a statement may run on PostgreSQL; a migration that needs longer says `SET LOCAL statement_timeout = 0`. */
export const STATEMENT_TIMEOUT_MS = 30_000;

/**
 * The knex settings for this configuration: PostgreSQL when DATABASE_URL is set, else embedded PGlite. Nothing
 * waits on PostgreSQL without a bound: connecting (5 s), getting a pooled connection (10 s), a statement (30 s on
 * the server, and 35 s on the client for a database that stopped answering), so a hung database makes requests
 * fail fast with 503 and cannot hold a shutdown.
 */
export async function knexConfig(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Knex.Config> {
  if (config.databaseUrl) {
    return {
      client: 'pg',
      connection: {
        connectionString: config.databaseUrl,
        statement_timeout: STATEMENT_TIMEOUT_MS,
        query_timeout: STATEMENT_TIMEOUT_MS + 5_000,
        connectionTimeoutMillis: 5_000,
        keepAlive: true,
        // Short queries on few cores: parallel workers cost more to start than they save (reports took 3× longer);
        // and pages come from SSD or memory, so index-only scans of a covering index beat reading the table (2.7×).
        options: '-c max_parallel_workers_per_gather=0 -c random_page_cost=1.1',
      } as Knex.PgConnectionConfig,
      pool: { min: 0, max: 10 },
      acquireConnectionTimeout: 10_000,
    };
  }
  const filename = join(config.dataDir, 'pgdata');
  mkdirSync(filename, { recursive: true });
  lockDataDir(config.dataDir);
  if (!existsSync(join(filename, 'PG_VERSION'))) await initializeEmbedded(filename);
  return embedded({ filename });
}

/**
 * A new embedded database is made in a worker thread that then exits: PGlite builds it in a second, throwaway
 * instance whose memory (about 400 MB) would otherwise sit in the service's heap until V8 next collected.
 */
async function initializeEmbedded(filename: string): Promise<void> {
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     import(workerData.pglite).then(async ({ PGlite }) => { const db = await PGlite.create(workerData.filename); await db.close(); });`,
    { eval: true, workerData: { pglite, filename } },
  );
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`creating the embedded database in ${filename} failed (exit ${code})`))));
  });
}

/** An in-memory embedded database, for tests and tools that need a throwaway PostgreSQL. */
export function inMemoryKnexConfig(): Promise<Knex.Config> {
  return embedded({});
}

/** knex's own warnings (a connection it could not get or lost) as JSON log lines, not as stack traces on stderr. */
export function knexLog(logger: Logger): Knex.Config['log'] {
  const line = (level: 'warn' | 'error' | 'debug') => (message: unknown) =>
    logger[level]({ err_message: message instanceof Error ? message.message : String(message) }, 'database client');
  return { warn: line('warn'), error: line('error'), deprecate: line('warn'), debug: line('debug') };
}

/** Opens the database and binds every objection model to it. */
export function openDatabase(settings: Knex.Config): Knex {
  const db = knexFactory.knex(settings);
  Model.knex(db);
  return db;
}

// PGlite is loaded only when used: a service on PostgreSQL does not carry it in memory.
async function embedded(connection: { filename?: string }): Promise<Knex.Config> {
  const { default: ClientPgLite } = await import('knex-pglite');
  /**
   * knex-pglite names a delete's command "DEL" instead of "DELETE", so knex returns the raw result instead of
   * the row count; renaming the method before it answers restores knex's usual behaviour.
   */
  class EmbeddedPostgres extends (ClientPgLite as unknown as new (config: Knex.Config) => { processResponse(obj: { method?: string }, runner: unknown): unknown }) {
    override processResponse(obj: { method?: string }, runner: unknown): unknown {
      return super.processResponse(obj.method === 'del' ? { ...obj, method: 'delete' } : obj, runner);
    }
  }
  return { client: EmbeddedPostgres, dialect: 'postgres', connection } as unknown as Knex.Config;
}
