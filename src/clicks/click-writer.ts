import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import { isUniqueViolation } from '../db/errors.js';
import { STATEMENT_TIMEOUT_MS } from '../db/database.js';
import type { Logger } from '../logger.js';
import { countClicks, referrerHost, type CountedClick } from './click-counts.js';

/** A click as the redirect saw it. The raw IP lives only in memory, until the writer hashes it. */
export interface PendingClick {
  id: string;
  linkId: string;
  workspaceId: string;
  campaignId: string;
  /** The first click of the visitor's chain (from the `_syx_fcid` cookie), or null when this click begins one. */
  firstClickId: string | null;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  referer: string | null;
  country: string | null;
}

export interface ClickWriterOptions {
  batchSize: number;
  flushIntervalMs: number;
  /** Clicks held in memory at most; past it new clicks are dropped (and counted) rather than eat the heap. */
  maxPending: number;
  /** How long a shutdown keeps retrying a database that does not answer. */
  drainTimeoutMs: number;
  /** The longest wait between two attempts while the database fails (attempts back off up to it). */
  maxRetryDelayMs: number;
}

const defaults: ClickWriterOptions = { batchSize: 1000, flushIntervalMs: 10, maxPending: 200_000, drainTimeoutMs: 15_000, maxRetryDelayMs: 5_000 };

/** While writes fail, a log line at most this often. */
const FAILURE_LOG_INTERVAL_MS = 30_000;

/**
 * Writes clicks in multi-row inserts off the request path. The redirect only pushes onto an array; a timer (or a
 * full batch) flushes; a failed batch goes back to the front and is retried, backing off while the database is
 * away. Clicks wait in memory up to `maxPending`; past it new clicks are dropped and counted (`dropped`, shown by
 * /healthz), so an outage longer than the buffer loses the newest clicks rather than the process.
 */
export class ClickWriter {
  readonly options: ClickWriterOptions;
  private pending: PendingClick[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly ipKey: KeyObject;
  /** PostgreSQL through `pg` takes COPY; the embedded database does not. */
  private readonly copies: boolean;
  private failures = 0;
  /** Clicks of the batch being written now (out of `pending` until it commits or fails). */
  private writing = 0;
  private failingSince: number | null = null;
  private lastFailureLog = 0;
  private nextAttemptAt = 0;
  dropped = 0;
  written = 0;

  constructor(
    private readonly deps: { db: Knex; logger: Logger; secret: string },
    options: Partial<ClickWriterOptions> = {},
  ) {
    this.options = { ...defaults, ...options };
    this.ipKey = createSecretKey(createHmac('sha256', deps.secret).update('synaptyx ip hash v1').digest());
    this.copies = deps.db.client.config.client === 'pg';
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  record(click: PendingClick): void {
    // The bound counts the batch being written too: it is held in memory just the same, and goes back in line if it fails.
    if (this.pendingCount >= this.options.maxPending) {
      if (this.dropped++ % 1000 === 0) {
        this.deps.logger.error({ dropped: this.dropped }, 'click buffer full: the database is not keeping up');
      }
      return;
    }
    this.pending.push(click);
    if (this.pending.length >= this.options.batchSize && !this.flushing) void this.flush();
  }

  /** Clicks not written yet: waiting, and in the batch being written. */
  get pendingCount(): number {
    return this.pending.length + this.writing;
  }

  /** True while writes fail: clicks are waiting for the database. */
  get failing(): boolean {
    return this.failingSince !== null;
  }

  /** Writes everything pending; resolves when the buffer is empty or the database failed this round. */
  flush(): Promise<void> {
    if (this.flushing || Date.now() < this.nextAttemptAt) return this.flushing ?? Promise.resolve();
    this.flushing = this.writeBatches().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /**
   * Stops the timer and writes every pending click, retrying until drainTimeoutMs: a database that hangs cannot
   * hold the shutdown past it (each query also has its own timeout, see db/database.ts).
   */
  async drain(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const deadline = Date.now() + this.options.drainTimeoutMs;
    while ((this.pending.length > 0 || this.flushing) && Date.now() < deadline) {
      this.nextAttemptAt = 0;
      await Promise.race([this.flush(), sleep(deadline - Date.now())]);
      if (this.pending.length > 0 && this.failures > 0) await sleep(Math.min(1000, 50 * this.failures, Math.max(0, deadline - Date.now())));
    }
    if (this.pendingCount > 0) {
      this.deps.logger.error({ lost: this.pendingCount }, 'shutting down with clicks the database would not take');
    }
  }

  private async writeBatches(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.batchSize);
      this.writing = batch.length;
      try {
        await this.insert(batch);
        this.written += batch.length;
        this.recovered();
      } catch (error) {
        this.pending.unshift(...batch);
        this.failed(error);
        return;
      } finally {
        this.writing = 0;
      }
    }
  }

  /** Backs off (100 ms, 200 ms ... up to maxRetryDelayMs) and logs the start of an outage, then twice a minute. */
  private failed(error: unknown): void {
    const now = Date.now();
    this.failures++;
    this.nextAttemptAt = now + Math.min(this.options.maxRetryDelayMs, 100 * 2 ** Math.min(this.failures - 1, 16));
    if (this.failingSince === null) this.failingSince = now;
    if (now - this.lastFailureLog >= FAILURE_LOG_INTERVAL_MS) {
      this.lastFailureLog = now;
      this.deps.logger.error({ err: error, pending: this.pending.length, dropped: this.dropped, failing_for_ms: now - this.failingSince }, 'writing clicks failed; retrying with backoff');
    }
  }

  private recovered(): void {
    if (this.failingSince !== null) {
      this.deps.logger.warn({ failed_for_ms: Date.now() - this.failingSince, pending: this.pending.length, dropped: this.dropped }, 'writing clicks again');
    }
    this.failures = 0;
    this.failingSince = null;
    this.lastFailureLog = 0;
    this.nextAttemptAt = 0;
  }

  /**
   * On PostgreSQL, COPY: about half the server's work per row of an INSERT. COPY cannot skip a row that is
   * already there, so a batch retried after an unclear failure (it had in fact committed) comes back as a
   * unique violation and goes again through the INSERT, which ignores the clicks already written. The
   * embedded database always takes the INSERT.
   */
  private async insert(batch: PendingClick[]): Promise<void> {
    const rows = batch.map((click) => this.row(click));
    // The clicks and their counts in the report tables commit together: a report never counts a click twice or misses one.
    const write = (copy: boolean) =>
      this.deps.db.transaction(async (trx) => {
        const written = copy ? (await this.copy(trx, rows), rows) : await this.insertIgnoringWritten(trx, rows);
        await countClicks(trx, written.map(countedClick));
      });
    if (!this.copies) return write(false);
    try {
      await write(true);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await write(false);
    }
  }

  private row(click: PendingClick): ClickRow {
    const ipHash = click.ip && createHmac('sha256', this.ipKey).update(click.ip).digest('base64url').slice(0, 22);
    return [
      click.id, click.linkId, click.at.toISOString(), ipHash, click.userAgent, click.referer, click.country,
      click.workspaceId, click.campaignId, click.firstClickId, referrerHost(click.referer),
    ];
  }

  private async copy(trx: Knex.Transaction, rows: ClickRow[]): Promise<void> {
    const text = rows.map((row) => row.map(copyField).join('\t')).join('\n') + '\n';
    const connection = await trx.client.acquireConnection(); // the transaction's own connection
    // COPY runs outside pg's query timeout: a database that stops answering mid-COPY loses the connection instead.
    const timer = setTimeout(() => connection.connection?.stream?.destroy(new Error('COPY of clicks timed out')), STATEMENT_TIMEOUT_MS);
    try {
      await pipeline(Readable.from([text]), connection.query(copyFrom(`COPY clicks (${COLUMNS}) FROM STDIN`)));
    } finally {
      clearTimeout(timer);
    }
  }

  /** One statement with an array parameter per column, however many clicks; the clicks already there are skipped. */
  private async insertIgnoringWritten(trx: Knex.Transaction, rows: ClickRow[]): Promise<ClickRow[]> {
    const { rows: inserted } = await trx.raw(
      `INSERT INTO clicks (${COLUMNS})
       SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      <Knex.RawBinding[]>COLUMNS.split(', ').map((_, column) => rows.map((row) => row[column])),
    );
    const written = new Set(inserted.map((row: { id: string }) => row.id));
    return rows.filter((row) => written.has(row[0]));
  }
}

const COLUMNS = 'id, link_id, created_at, ip_hash, user_agent, referer, country, workspace_id, campaign_id, first_click_id, referrer_host';

type ClickRow = [
  id: string, linkId: string, at: string, ipHash: string | null, userAgent: string | null, referer: string | null, country: string | null,
  workspaceId: string, campaignId: string, firstClickId: string | null, referrerHost: string | null,
];

const countedClick = (row: ClickRow): CountedClick => ({
  linkId: row[1], at: new Date(row[2]), country: row[6], workspaceId: row[7], campaignId: row[8], referrerHost: row[10],
});

/** A field of COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : value;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
