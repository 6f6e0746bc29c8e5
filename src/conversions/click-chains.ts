import type { Knex } from 'knex';
import { StatementBatch } from '../db/statement-batch.js';

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
 * read together instead, as sales are written (src/db/statement-batch.ts).
 */
function clickChainReader(db: Knex): StatementBatch<string, ChainRow | null> {
  return new StatementBatch(async (clickIds) => {
    const rows = await chainRows(db, [...new Set(clickIds)]);
    return clickIds.map((clickId) => rows.get(clickId) ?? null);
  }, { maxInFlight: 1, maxBatch: 200 });
}

const readers = new WeakMap<Knex, StatementBatch<string, ChainRow | null>>();

/** The row of a click and of its chain's first click; a transaction reads alone, in its own snapshot. */
export async function readClickChain(db: Knex | Knex.Transaction, clickId: string): Promise<ChainRow | null> {
  if (db.isTransaction) return (await chainRows(db, [clickId])).get(clickId) ?? null;
  let reader = readers.get(db);
  if (!reader) {
    reader = clickChainReader(db);
    readers.set(db, reader);
  }
  return reader.add(clickId);
}
