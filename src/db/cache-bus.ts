import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '../logger.js';

const CHANNEL = 'synaptyx_cache';

/** What a cache forgets: a slug, a campaign's links, a link's owner, a source; `*` is everything (a missed message). */
export type CacheKind = 'slug' | 'campaign' | 'link' | 'source' | '*';

type Handler = (id: string) => void;

/**
 * Tells every instance's caches what changed, through PostgreSQL LISTEN/NOTIFY: an archived link or a
 * disconnected source stops on every instance within moments, not at the end of a TTL. Each instance holds one
 * listening connection; when it is lost, it retries with backoff, and once back it reloads everything it holds
 * before using it again (it may have missed messages), serving the old values only if that reload fails. The embedded database serves one process: nothing to tell.
 */
export class CacheBus {
  private readonly instance = randomBytes(6).toString('base64url');
  private readonly handlers = new Map<CacheKind, Handler[]>();
  private listener: pg.Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retries = 0;
  private stopped = false;

  constructor(private readonly deps: { db: Knex; databaseUrl: string | null; logger: Logger }) {}

  subscribe(kind: CacheKind, handler: Handler): void {
    this.handlers.set(kind, [...(this.handlers.get(kind) ?? []), handler]);
  }

  /** Tells the other instances (this one has already forgotten it); a failure only leaves them to their TTL. */
  publish(kind: Exclude<CacheKind, '*'>, id: string): void {
    if (!this.deps.databaseUrl) return;
    const payload = JSON.stringify({ i: this.instance, k: kind, v: id });
    this.deps.db.raw('SELECT pg_notify(?, ?)', [CHANNEL, payload]).catch((error: Error) => {
      this.deps.logger.warn({ err_message: error.message, kind, id }, 'could not tell other instances about a change; their caches expire it');
    });
  }

  async start(): Promise<void> {
    if (!this.deps.databaseUrl || this.stopped) return;
    const client = new pg.Client({ connectionString: this.deps.databaseUrl, connectionTimeoutMillis: 5_000, keepAlive: true });
    client.on('notification', (message) => this.receive(message.payload));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the listening connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    this.listener = client;
    if (this.retries > 0) {
      this.deps.logger.warn({ attempts: this.retries }, 'listening for cache changes again; reloading what may have been missed');
      this.emit('*', '');
    }
    this.retries = 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => {});
  }

  private receive(payload: string | undefined): void {
    try {
      const { i, k, v } = JSON.parse(payload ?? '') as { i: string; k: CacheKind; v: string };
      if (i !== this.instance) this.emit(k, v);
    } catch {
      // not one of ours
    }
  }

  private emit(kind: CacheKind, id: string): void {
    const kinds: CacheKind[] = kind === '*' ? [...this.handlers.keys()] : [kind];
    for (const each of kinds) for (const handler of this.handlers.get(each) ?? []) handler(kind === '*' ? '*' : id);
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.stopped || (this.listener !== client && this.listener !== null)) return;
    this.listener = null;
    client.removeAllListeners();
    client.on('error', () => {}); // a late error of the lost connection
    client.end().catch(() => {});
    if (this.retryTimer) return;
    if (this.retries === 0) this.deps.logger.error({ err_message: error.message }, 'lost the connection that listens for cache changes; retrying');
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.retries++, 6));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.start();
    }, delay);
    this.retryTimer.unref();
  }
}
