import type { Knex } from 'knex';

/** A click's row as attribution reads it, and the row of the first click of its chain (null columns when not recorded). */
export interface ChainRow {
  id: string;
  first_click_id: string | null;
  country: string | null;
  referrer_host: string | null;
  first_row_id: string | null;
  first_country: string | null;
  first_referrer_host: string | null;
}

interface Waiting {
  clickId: string;
  resolve(row: ChainRow | null): void;
  reject(error: unknown): void;
}

const CHAIN_ROWS = `SELECT c.id, c.first_click_id, c.country, c.referrer_host,
                           f.id AS first_row_id, f.country AS first_country, f.referrer_host AS first_referrer_host
                      FROM clicks c LEFT JOIN clicks f ON f.id = c.first_click_id
                     WHERE c.id = ANY(?::text[])`;

async function chainRows(db: Knex | Knex.Transaction, clickIds: string[]): Promise<Map<string, ChainRow>> {
  const { rows }: { rows: ChainRow[] } = await db.raw(CHAIN_ROWS, [clickIds]);
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Every attributed sale reads its click's row, outside the sale's own batch: one statement per sale cost the
 * database as much as the whole sale (bench:webhooks fell from 2,500 to 950 deliveries a second). Lookups are
 * read together instead, as sale-batch.ts writes sales: those made in one turn of the event loop, or while
 * earlier reads are in flight, share one statement.
 */
class ClickChainReader {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly db: Knex,
    private readonly options = { maxInFlight: 1, maxBatch: 200 },
  ) {}

  read(clickId: string): Promise<ChainRow | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ clickId, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) void this.send(this.queue.splice(0, this.options.maxBatch));
    });
  }

  private async send(batch: Waiting[]): Promise<void> {
    this.inFlight++;
    try {
      const rows = await chainRows(this.db, [...new Set(batch.map((waiting) => waiting.clickId))]);
      for (const waiting of batch) waiting.resolve(rows.get(waiting.clickId) ?? null);
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
    }
  }
}

const readers = new WeakMap<Knex, ClickChainReader>();

/** The row of a click and of its chain's first click; a transaction reads alone, in its own snapshot. */
export async function readClickChain(db: Knex | Knex.Transaction, clickId: string): Promise<ChainRow | null> {
  if (db.isTransaction) return (await chainRows(db, [clickId])).get(clickId) ?? null;
  let reader = readers.get(db);
  if (!reader) {
    reader = new ClickChainReader(db);
    readers.set(db, reader);
  }
  return reader.read(clickId);
}
