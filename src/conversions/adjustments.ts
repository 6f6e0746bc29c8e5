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
  'amount' | 'reported_refunded_amount' | 'reported_refunded_at' | 'refunds' | 'disputes' | 'refunded_amount' | 'disputed_amount' | 'status'
>;

const FINAL_REFUND = new Set(['succeeded', 'failed', 'canceled']);
const FINAL_DISPUTE = new Set(['won', 'lost', 'closed']);

/** The conversion's stored facts and figures after one more adjustment. */
export function applyAdjustment(conversion: Adjustable, adjustment: Adjustment): Adjustable {
  const next = { ...conversion, refunds: { ...conversion.refunds }, disputes: { ...conversion.disputes } };
  if (adjustment.kind === 'refund_total') {
    // Cumulative: set, never add. The newest figure wins (it falls when a refund fails); within one second, the larger.
    const { refundedAmount, occurredAt } = adjustment.facts;
    const current = conversion.reported_refunded_at ? new Date(conversion.reported_refunded_at).getTime() : -Infinity;
    const incoming = occurredAt.getTime();
    if (incoming > current || (incoming === current && refundedAmount > conversion.reported_refunded_amount)) {
      next.reported_refunded_amount = refundedAmount;
      next.reported_refunded_at = occurredAt;
    }
  } else if (adjustment.kind === 'refund') {
    const { refundId, amount, status, occurredAt, createdAt } = adjustment.facts;
    const record: RefundRecord = { amount, status, at: occurredAt.toISOString(), ...(createdAt ? { created_at: createdAt.toISOString() } : {}) };
    next.refunds[refundId] = newer(conversion.refunds[refundId], record, FINAL_REFUND);
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

export function figures(conversion: Pick<Adjustable, 'amount' | 'reported_refunded_amount' | 'reported_refunded_at' | 'refunds' | 'disputes'>) {
  const refunds = Object.values(conversion.refunds);
  const refundedByRefund = refunds.filter((refund) => refund.status === 'succeeded').reduce((sum, refund) => sum + refund.amount, 0);
  const refunded = Math.min(conversion.amount, Math.max(refundedByRefund, reportedTotalNow(conversion.reported_refunded_amount, conversion.reported_refunded_at, refunds)));
  const heldDisputes = Object.values(conversion.disputes).filter((d) => d.status === 'open' || d.status === 'lost');
  const disputed = Math.min(conversion.amount - refunded, heldDisputes.reduce((sum, d) => sum + d.amount, 0));
  return { refunded_amount: refunded, disputed_amount: Math.max(0, disputed), status: statusOf(conversion.amount, refunded, heldDisputes.length) };
}

/**
 * The provider's cumulative figure, less the refunds that failed or were cancelled after it was reported: a
 * refund made before the figure was counted in it, and its failure gives the money back to net.
 */
function reportedTotalNow(total: number, reportedAt: Date | string | null, refunds: RefundRecord[]): number {
  if (total === 0 || !reportedAt) return total;
  const reported = new Date(reportedAt).toISOString();
  const undone = refunds
    .filter((refund) => (refund.status === 'failed' || refund.status === 'canceled') && refund.at > reported && (refund.created_at ?? refund.at) <= reported)
    .reduce((sum, refund) => sum + refund.amount, 0);
  return Math.max(0, total - undone);
}

function statusOf(amount: number, refunded: number, heldDisputes: number): ConversionStatus {
  if (heldDisputes > 0) return 'disputed';
  if (refunded >= amount && amount > 0) return 'refunded';
  if (refunded > 0) return 'partially_refunded';
  return 'paid';
}
