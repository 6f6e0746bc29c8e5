import type { Knex } from 'knex';
import { newId } from '../ids.js';
import type { OrderFacts } from '../providers/provider.js';
import { applyAdjustment, figures, type Adjustment } from './adjustments.js';
import type { AttributionResult } from './attribution.js';
import type { Conversion } from './models.js';

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

export interface RecordedOrder {
  conversion: Conversion;
  created: boolean;
  /** Adjustments that had been waiting for this order and were applied now. */
  appliedPending: number;
}

/** Records a paid order once per canonical payment key; a repeat only adds ids and cumulative refunds. */
export async function recordOrder(
  trx: Knex.Transaction,
  source: SourceRef,
  order: OrderFacts,
  goal: string,
  attribution: AttributionResult,
): Promise<RecordedOrder> {
  const refs = [order.orderId, ...order.refs];
  await lockPayments(trx, source.id, refs);
  const inserted = await trx.raw(
    `INSERT INTO conversions (id, workspace_id, source_id, campaign_id, link_id, click_id, goal, provider_order_id,
       customer_id, amount, currency, attribution)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (workspace_id, (coalesce(source_id, '')), provider_order_id) DO NOTHING
     RETURNING *`,
    [
      newId('conv'), source.workspace_id, source.id, attribution.campaign_id, attribution.link_id, attribution.click_id,
      goal, order.orderId, order.customerId, order.amount, order.currency, attribution.attribution,
    ],
  );
  const created = inserted.rows.length > 0;
  // The advisory lock on the order's key already keeps every other writer of this sale waiting.
  let conversion: Conversion =
    inserted.rows[0] ??
    (await trx('conversions').where({ workspace_id: source.workspace_id, source_id: source.id, provider_order_id: order.orderId }).first());

  // One round trip: remember the payment's ids and the customer's click, and take what waited for this order.
  const remembersCustomer = created && Boolean(attribution.campaign_id && order.customerId);
  const waiting = await trx.raw(
    `WITH payment AS (
       INSERT INTO payment_refs (source_id, ref, conversion_id) SELECT ?, unnest(?::text[]), ? ON CONFLICT DO NOTHING
     ), customer AS (
       INSERT INTO customers (source_id, customer_id, campaign_id, link_id, click_id) SELECT ?, ?, ?, ?, ? WHERE ?::boolean
       ON CONFLICT DO NOTHING
     ), taken AS (
       DELETE FROM pending_adjustments WHERE ?::boolean AND source_id = ? AND refs && ?::text[] RETURNING kind, facts, created_at
     )
     SELECT kind, facts FROM taken ORDER BY created_at`,
    [
      source.id, refs, conversion.id,
      source.id, order.customerId, attribution.campaign_id, attribution.link_id, attribution.click_id, remembersCustomer,
      created, source.id, refs,
    ],
  );
  const adjustments: Adjustment[] = waiting.rows.map(pendingAdjustment);
  if (order.refundedAmount !== null) {
    adjustments.push({ kind: 'refund_total', facts: { refs: order.refs, refundedAmount: order.refundedAmount, currency: order.currency, occurredAt: order.occurredAt } });
  }
  if (adjustments.length > 0) conversion = await saveAdjusted(trx, conversion, adjustments);
  return { conversion, created, appliedPending: created ? adjustments.length - (order.refundedAmount !== null ? 1 : 0) : 0 };
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
  const facts = (typeof row.facts === 'string' ? JSON.parse(row.facts) : row.facts) as { occurredAt: string };
  return { kind: row.kind, facts: { ...facts, occurredAt: new Date(facts.occurredAt) } } as Adjustment;
}

async function saveAdjusted(trx: Knex.Transaction, conversion: Conversion, adjustments: Adjustment[]): Promise<Conversion> {
  let state = { ...conversion, amount: Number(conversion.amount), reported_refunded_amount: Number(conversion.reported_refunded_amount) };
  for (const adjustment of adjustments) state = { ...state, ...applyAdjustment(state, adjustment) };
  const { refunded_amount, disputed_amount, status } = figures(state);
  const [saved] = await trx('conversions')
    .where({ id: conversion.id })
    .update({
      reported_refunded_amount: state.reported_refunded_amount,
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
