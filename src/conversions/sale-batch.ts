import type { Knex } from 'knex';
import { StatementBatch, type StatementBatchOptions } from '../db/statement-batch.js';
import { newId } from '../ids.js';
import type { OrderFacts } from '../providers/provider.js';
import type { Outcome } from '../webhooks/logs.js';
import type { AttributionResult } from './attribution.js';
import type { SourceRef } from './recorder.js';

/** One delivery of a sale: what syx_record_sales writes for it (de-duplication key, conversion, log row). */
export interface Sale {
  source: SourceRef;
  provider: string;
  event: { id: string; type: string };
  order: OrderFacts;
  goal: string;
  attribution: AttributionResult;
  /** Appended to the log's detail in parentheses (reconciliation says so). */
  note: string;
}

export interface RecordedSale {
  outcome: Outcome;
  conversion_id: string | null;
  log_id: string;
}

export type SaleRow = ReturnType<typeof saleRow>;

/**
 * New sales, recorded together (src/db/statement-batch.ts): the deliveries that arrive while earlier batches are
 * in flight share one statement and one commit. Each delivery is answered only once its batch has committed.
 */
export class SaleBatch {
  private readonly batch: StatementBatch<SaleRow, RecordedSale | null>;

  constructor(db: Knex, options: StatementBatchOptions = { maxInFlight: 3, maxBatch: 100 }) {
    this.batch = new StatementBatch(async (rows) => {
      const results = await recordSales(db, rows);
      return results.map((result, i) =>
        result.result === 'recorded' ? { outcome: result.outcome, conversion_id: result.conversion_id, log_id: rows[i].log_id } : null,
      );
    }, options);
  }

  /**
   * Records the sale with its de-duplication key and log row, or answers null when it needs the refund
   * arithmetic (a refund reported with it or waiting for it, a refund total on a sale already recorded):
   * nothing was written for it then, and the caller records it in a transaction of its own.
   */
  record(sale: Sale): Promise<RecordedSale | null> {
    if (sale.order.refundedAmount) return Promise.resolve(null);
    return this.batch.add(saleRow(sale));
  }
}

/** What syx_record_sales (the sale rule, migrations/20261202000200) answers for each sale. */
export type SaleResult =
  | { result: 'needs_transaction' }
  | { result: 'recorded'; outcome: Outcome; detail: string; conversion_id: string | null; created: boolean };

/**
 * Runs the sale rule over sales. In a batch (`settle` false) it also claims each event and writes its log row,
 * and hands back the sales that need the refund arithmetic; settling one sale inside the caller's transaction
 * (`settle` true) it records the sale whatever waits for it, and leaves the event and the log to the caller.
 */
export async function recordSales(db: Knex | Knex.Transaction, rows: SaleRow[], settle = false): Promise<SaleResult[]> {
  const { rows: [{ results }] } = await db.raw('SELECT syx_record_sales(?::jsonb, ?) AS results', [JSON.stringify(rows), settle]);
  return results;
}

export function saleRow({ source, order, attribution, ...sale }: Sale) {
  return {
    source_id: source.id, workspace_id: source.workspace_id, provider: sale.provider,
    event_id: sale.event.id, event_type: sale.event.type, log_id: newId('whl'), note: sale.note,
    conversion_id: newId('conv'), order_id: order.orderId, refs: [...new Set([order.orderId, ...order.refs])],
    goal: sale.goal, customer_id: order.customerId, amount: order.amount, currency: order.currency,
    reports_refunds: order.refundedAmount !== null,
    campaign_id: attribution.campaign_id, link_id: attribution.link_id, click_id: attribution.click_id,
    first_click_id: attribution.first_click_id, first_link_id: attribution.first_link_id, first_campaign_id: attribution.first_campaign_id,
    country: attribution.country, referrer_host: attribution.referrer_host,
    first_country: attribution.first_country, first_referrer_host: attribution.first_referrer_host,
    sold_at: order.occurredAt.toISOString(),
    attribution: attribution.attribution, outcome: attribution.outcome, detail: attribution.detail,
  };
}
