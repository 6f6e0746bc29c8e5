import type { DisputeFacts, RefundFacts, RefundTotalFacts } from '../providers/provider.js';
import type { Conversion, ConversionStatus, DisputeRecord, RefundRecord } from './models.js';

/**
 * Refunds and disputes change a conversion in place. Each is kept by its provider id and the figures are
 * recomputed from all of them, so a repeated or reordered event can never count twice.
 */
export type Adjustment =
  | { kind: 'refund'; facts: RefundFacts }
  | { kind: 'refund_total'; facts: RefundTotalFacts }
  | { kind: 'dispute'; facts: DisputeFacts };

type Adjustable = Pick<
  Conversion,
  'amount' | 'reported_refunded_amount' | 'refunds' | 'disputes' | 'refunded_amount' | 'disputed_amount' | 'status'
>;

const FINAL_REFUND = new Set(['succeeded', 'failed', 'canceled']);
const FINAL_DISPUTE = new Set(['won', 'lost', 'closed']);

/** The conversion's stored facts and figures after one more adjustment. */
export function applyAdjustment(conversion: Adjustable, adjustment: Adjustment): Adjustable {
  const next = { ...conversion, refunds: { ...conversion.refunds }, disputes: { ...conversion.disputes } };
  if (adjustment.kind === 'refund_total') {
    // Cumulative: set, never add; a late, smaller figure is an older one.
    next.reported_refunded_amount = Math.max(conversion.reported_refunded_amount, adjustment.facts.refundedAmount);
  } else if (adjustment.kind === 'refund') {
    const { refundId, amount, status, occurredAt } = adjustment.facts;
    next.refunds[refundId] = newer(conversion.refunds[refundId], { amount, status, at: occurredAt.toISOString() }, FINAL_REFUND);
  } else {
    const { disputeId, amount, status, occurredAt } = adjustment.facts;
    next.disputes[disputeId] = newer(conversion.disputes[disputeId], { amount, status, at: occurredAt.toISOString() }, FINAL_DISPUTE);
  }
  return { ...next, ...figures(next) };
}

/** A final state (succeeded, won, lost...) is never undone by an earlier, open one arriving late. */
function newer<T extends RefundRecord | DisputeRecord>(current: T | undefined, incoming: T, final: Set<string>): T {
  if (!current) return incoming;
  if (final.has(current.status) && !final.has(incoming.status)) return current;
  if (final.has(incoming.status) && !final.has(current.status)) return incoming;
  return incoming.at >= current.at ? incoming : current;
}

export function figures(conversion: Pick<Adjustable, 'amount' | 'reported_refunded_amount' | 'refunds' | 'disputes'>) {
  const refundedByRefund = Object.values(conversion.refunds)
    .filter((refund) => refund.status === 'succeeded')
    .reduce((sum, refund) => sum + refund.amount, 0);
  const refunded = Math.min(conversion.amount, Math.max(conversion.reported_refunded_amount, refundedByRefund));
  const heldDisputes = Object.values(conversion.disputes).filter((d) => d.status === 'open' || d.status === 'lost');
  const disputed = Math.min(conversion.amount - refunded, heldDisputes.reduce((sum, d) => sum + d.amount, 0));
  return { refunded_amount: refunded, disputed_amount: Math.max(0, disputed), status: statusOf(conversion.amount, refunded, heldDisputes.length) };
}

function statusOf(amount: number, refunded: number, heldDisputes: number): ConversionStatus {
  if (heldDisputes > 0) return 'disputed';
  if (refunded >= amount && amount > 0) return 'refunded';
  if (refunded > 0) return 'partially_refunded';
  return 'paid';
}
