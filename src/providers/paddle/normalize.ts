import type { NormalizedEvent, ProviderEvent, RefundFacts } from '../provider.js';
import { currency, isoTime, object, text, type Json } from '../fields.js';

/** A verified Paddle Billing event as neutral facts; every Paddle field name stays in this folder. */
export function normalizePaddleEvent(event: ProviderEvent): NormalizedEvent {
  const data = object(object(event.body).data);
  const id = text(data.id);
  if (!id) return { kind: 'not_a_sale', reason: 'the event carries no object id' };
  switch (event.type) {
    case 'transaction.completed':
      return transactionSale(id, data, event.createdAt);
    case 'transaction.paid':
      return { kind: 'not_a_sale', reason: 'transaction.paid carries incomplete data: the sale is its transaction.completed' };
    case 'adjustment.created':
    case 'adjustment.updated':
      return adjustment(id, data, event.createdAt);
    case 'subscription.created':
    case 'subscription.updated':
      return {
        kind: 'subscription',
        subscription: { subscriptionId: id, customerId: text(data.customer_id), clickId: clickIdIn(data), clientReferenceId: null },
      };
    default:
      return { kind: 'unsupported' };
  }
}

/** Paddle copies a checkout's custom data to the subscription it creates, and from it to every renewal. */
const clickIdIn = (entity: Json) => {
  const value = object(entity.custom_data).synaptyx_clickid;
  return typeof value === 'number' ? String(value) : text(value);
};

/**
 * Paddle's amounts are strings of minor units (`"65215"`). Null when absent; NaN when present but not a whole,
 * non-negative number, which the facts check refuses by name (invalid_payload) rather than reading it as zero.
 */
function minorUnits(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value;
  return typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
}

/**
 * transaction.completed is the sale: the customer's money is `details.totals.grand_total` in `currency_code`;
 * `origin: subscription_recurring` is a renewal. A discount is named only by id: its code needs the API.
 */
function transactionSale(transactionId: string, transaction: Json, occurredAt: Date): NormalizedEvent {
  if (text(transaction.status) !== 'completed') return { kind: 'not_a_sale', reason: `transaction is ${text(transaction.status) ?? 'not completed'}` };
  const totals = object(object(transaction.details).totals);
  const amount = minorUnits(totals.grand_total);
  if (amount === null || amount === 0) return { kind: 'not_a_sale', reason: 'transaction total is zero' };
  return {
    kind: 'order',
    order: {
      orderId: transactionId,
      refs: [transactionId],
      amount,
      currency: currency(transaction.currency_code ?? totals.currency_code),
      clickId: clickIdIn(transaction),
      clientReferenceId: null,
      customerId: text(transaction.customer_id),
      couponCodes: [],
      couponLookup: text(transaction.discount_id),
      paymentLookup: null,
      renewal: transaction.origin === 'subscription_recurring',
      initialSubscriptionPayment: false,
      refundedAmount: null,
      occurredAt: isoTime(transaction.billed_at) ?? occurredAt,
    },
  };
}

const REFUND_STATUS: Record<string, RefundFacts['status']> = {
  pending_approval: 'pending',
  approved: 'succeeded',
  rejected: 'canceled',
  // An approved refund undone: the money is the merchant's again.
  reversed: 'failed',
};

/**
 * Refunds and chargebacks arrive as adjustments of a transaction, never as a change of its status. A refund is
 * created `pending_approval` and counts once `adjustment.updated` approves it; a rejected one never counts. A
 * chargeback is a lost dispute and its reversal a won one: both are keyed by the transaction, so the reversal
 * releases what the chargeback took. Credits move no money the customer paid.
 */
function adjustment(adjustmentId: string, adjustment: Json, occurredAt: Date): NormalizedEvent {
  const transactionId = text(adjustment.transaction_id);
  if (!transactionId) return { kind: 'not_a_sale', reason: 'adjustment names no transaction' };
  const action = text(adjustment.action) ?? '';
  const status = text(adjustment.status) ?? '';
  const totals = object(adjustment.totals);
  const amount = minorUnits(totals.total) ?? Number.NaN;
  const money = { refs: [transactionId], amount, currency: currency(adjustment.currency_code ?? totals.currency_code), occurredAt };
  if (action === 'refund') {
    return { kind: 'refund', refund: { ...money, refundId: adjustmentId, status: REFUND_STATUS[status] ?? 'pending', createdAt: isoTime(adjustment.created_at) } };
  }
  if (action === 'chargeback' || action === 'chargeback_reverse') {
    if (status !== 'approved') return { kind: 'not_a_sale', reason: `${action} adjustment is ${status || 'not approved'}` };
    return { kind: 'dispute', dispute: { ...money, disputeId: `chargeback:${transactionId}`, status: action === 'chargeback' ? 'lost' : 'won' } };
  }
  if (action.startsWith('chargeback_warning')) return { kind: 'not_a_sale', reason: `${action}: nothing is held until a chargeback` };
  return { kind: 'not_a_sale', reason: `a ${action || 'unknown'} adjustment moves no money the customer paid` };
}
