import type { Knex } from 'knex';
import { newId } from '../ids.js';
import type { Outcome } from '../webhooks/logs.js';
import { applyAdjustment, figures, type Adjustment } from './adjustments.js';
import type { Conversion } from './models.js';
import { recordSales, saleRow, type Sale } from './sale-batch.js';

export interface SourceRef {
  id: string;
  workspace_id: string;
}

/**
 * Serialises every transaction that touches one payment: an order and a refund naming the same payment
 * intent cannot miss each other (the refund parked as pending while the order commits unseen). The lock
 * order lives in the database (syx_lock_payments), shared with the batched sales of sale-batch.ts.
 */
export async function lockPayments(trx: Knex.Transaction, sourceId: string, refs: string[]): Promise<void> {
  await trx.raw('SELECT syx_lock_payments(?::text[])', [refs.map((ref) => `${sourceId}:${ref}`)]);
}

export interface SettledSale {
  outcome: Outcome;
  detail: string;
  conversion_id: string | null;
}

/**
 * Records one sale inside the caller's transaction (which claimed its event and writes its log row): the sale
 * rule itself (syx_record_sales, settling), then the refund arithmetic it may need: refunds and disputes that
 * waited for one of its payments, and the cumulative refund the order reports.
 */
export async function settleSale(trx: Knex.Transaction, sale: Sale): Promise<SettledSale> {
  const row = saleRow(sale);
  const [result] = await recordSales(trx, [row], true);
  if (result.result !== 'recorded' || !result.conversion_id) throw new Error('the sale rule did not record a settled sale');
  const waiting = await trx.raw(
    'DELETE FROM pending_adjustments WHERE source_id = ? AND refs && ?::text[] RETURNING kind, facts, created_at',
    [row.source_id, row.refs],
  );
  const adjustments: Adjustment[] = [...waiting.rows].sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime()).map(pendingAdjustment);
  const { order } = sale;
  if (order.refundedAmount !== null) {
    adjustments.push({ kind: 'refund_total', facts: { refs: order.refs, refundedAmount: order.refundedAmount, currency: order.currency, occurredAt: order.occurredAt } });
  }
  const recorded = { outcome: result.outcome, detail: result.detail, conversion_id: result.conversion_id };
  if (adjustments.length === 0) return recorded;
  const conversion: Conversion = await trx('conversions').where({ id: result.conversion_id }).forUpdate().first();
  const saved = await saveAdjusted(trx, conversion, adjustments);
  const applied = waiting.rows.length ? `; applied ${waiting.rows.length} waiting refund/dispute event(s)` : '';
  if (result.created) return { ...recorded, detail: result.detail + applied };
  return { outcome: 'adjusted', detail: `${result.detail}; refunded amount now ${saved.refunded_amount}${applied}`, conversion_id: result.conversion_id };
}

/** Applies a refund or dispute to its conversion, or parks it until the order arrives. */
export async function recordAdjustment(
  trx: Knex.Transaction,
  source: SourceRef,
  adjustment: Adjustment,
): Promise<{ conversion: Conversion | null }> {
  const refs = adjustment.facts.refs;
  await lockPayments(trx, source.id, refs);
  const conversion: Conversion | undefined = await trx('conversions')
    .whereIn('id', trx('payment_refs').select('conversion_id').where({ source_id: source.id }).whereIn('ref', refs))
    .forUpdate()
    .first();
  if (!conversion) {
    await trx('pending_adjustments').insert({
      id: newId('adj'),
      source_id: source.id,
      refs,
      kind: adjustment.kind,
      facts: JSON.stringify(adjustment.facts),
    });
    return { conversion: null };
  }
  return { conversion: await saveAdjusted(trx, conversion, [adjustment]) };
}

function pendingAdjustment(row: { kind: Adjustment['kind']; facts: unknown }): Adjustment {
  const facts = (typeof row.facts === 'string' ? JSON.parse(row.facts) : row.facts) as { occurredAt: string; createdAt?: string | null };
  const createdAt = facts.createdAt ? new Date(facts.createdAt) : null;
  return { kind: row.kind, facts: { ...facts, occurredAt: new Date(facts.occurredAt), ...(row.kind === 'refund' ? { createdAt } : {}) } } as Adjustment;
}

async function saveAdjusted(trx: Knex.Transaction, conversion: Conversion, adjustments: Adjustment[]): Promise<Conversion> {
  let state = { ...conversion, amount: Number(conversion.amount), reported_refunded_amount: Number(conversion.reported_refunded_amount) };
  for (const adjustment of adjustments) state = { ...state, ...applyAdjustment(state, adjustment) };
  const { refunded_amount, disputed_amount, status } = figures(state);
  const [saved] = await trx('conversions')
    .where({ id: conversion.id })
    .update({
      reported_refunded_amount: state.reported_refunded_amount,
      reported_refunded_at: state.reported_refunded_at,
      refunds: JSON.stringify(state.refunds),
      disputes: JSON.stringify(state.disputes),
      refunded_amount,
      disputed_amount,
      status,
      updated_at: new Date(),
    })
    .returning('*');
  return saved;
}
