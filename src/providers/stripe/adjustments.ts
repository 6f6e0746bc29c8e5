import type { DisputeStatus, NormalizedEvent, RefundFacts } from '../provider.js';
import { currency, idOf, integer, text, uniqueIds, unixTime, type Json } from '../fields.js';

const paymentRefs = (object: Json) => uniqueIds([idOf(object.charge), idOf(object.payment_intent)]);

/** charge.refunded: `amount_refunded` is cumulative for the charge, so it is set, never added. */
export function chargeRefundTotal(charge: Json, occurredAt: Date): NormalizedEvent {
  return {
    kind: 'refund_total',
    refundTotal: {
      // Legacy charges also name their invoice, the order id of a subscription renewal.
      refs: uniqueIds([text(charge.id), idOf(charge.payment_intent), idOf(charge.invoice)]),
      refundedAmount: integer(charge.amount_refunded) ?? 0,
      currency: currency(charge.currency),
      occurredAt,
    },
  };
}

const REFUND_STATUS: Record<string, RefundFacts['status']> = {
  pending: 'pending',
  requires_action: 'pending',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
};

/** refund.created / refund.updated / refund.failed / charge.refund.updated: one refund, by its id. */
export function refundAdjustment(refund: Json, occurredAt: Date): NormalizedEvent {
  return {
    kind: 'refund',
    refund: {
      refs: paymentRefs(refund),
      refundId: text(refund.id)!,
      amount: integer(refund.amount) ?? 0,
      currency: currency(refund.currency),
      status: REFUND_STATUS[text(refund.status) ?? ''] ?? 'pending',
      occurredAt,
      createdAt: unixTime(refund.created),
    },
  };
}

const DISPUTE_STATUS: Record<string, DisputeStatus> = {
  warning_needs_response: 'open',
  warning_under_review: 'open',
  needs_response: 'open',
  under_review: 'open',
  appeal_needs_response: 'open',
  appeal_under_review: 'open',
  won: 'won',
  lost: 'lost',
  warning_closed: 'closed',
  // Resolved by a prevention service before it became a chargeback; its refund arrives as charge.refunded.
  prevented: 'closed',
};

/** charge.dispute.*: `funds_reinstated` means the merchant got the money back. An unknown status holds the amount. */
export function disputeAdjustment(dispute: Json, eventType: string, occurredAt: Date): NormalizedEvent {
  const status = eventType === 'charge.dispute.funds_reinstated' ? 'won' : (DISPUTE_STATUS[text(dispute.status) ?? ''] ?? 'open');
  return {
    kind: 'dispute',
    dispute: {
      refs: paymentRefs(dispute),
      disputeId: text(dispute.id)!,
      amount: integer(dispute.amount) ?? 0,
      currency: currency(dispute.currency),
      status,
      occurredAt,
    },
  };
}
