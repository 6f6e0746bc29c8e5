import type { NormalizedEvent, ProviderEvent, RefundFacts } from '../provider.js';
import { currency, integer, isoTime, object, text, type Json } from '../fields.js';

const ORDER_EVENTS = new Set(['order.created', 'order.paid', 'order.updated', 'order.refunded']);
const REFUND_EVENTS = new Set(['refund.created', 'refund.updated']);
/** The statuses of an order that was sold; a refunded order was sold first, and its refund is read from the same order. */
export const SOLD_STATUSES = ['paid', 'refunded', 'partially_refunded'] as const;
const SOLD = new Set<string>(SOLD_STATUSES);
const REFUND_STATUS = new Set<string>(['pending', 'succeeded', 'failed', 'canceled']);

/** A verified Polar event as neutral facts; every Polar field name stays in this folder. */
export function normalizePolarEvent(event: ProviderEvent): NormalizedEvent {
  const data = object(object(event.body).data);
  if (!text(data.id)) return { kind: 'not_a_sale', reason: 'the event carries no object id' };
  if (ORDER_EVENTS.has(event.type)) return orderEvent(data, event.createdAt);
  if (REFUND_EVENTS.has(event.type)) return refundEvent(data, event.createdAt);
  if (event.type.startsWith('subscription.')) {
    const metadata = object(data.metadata);
    return {
      kind: 'subscription',
      subscription: {
        subscriptionId: text(data.id)!,
        customerId: text(data.customer_id),
        clickId: text(metadata.synaptyx_clickid),
        clientReferenceId: text(metadata.reference_id),
      },
    };
  }
  return { kind: 'unsupported' };
}

/**
 * `total_amount` includes tax, and Polar reports refunds as net + tax (`refunded_amount` + `refunded_tax_amount`,
 * `amount` + `tax_amount`): both sides are summed so that a full refund equals the sale.
 */
function orderEvent(order: Json, occurredAt: Date): NormalizedEvent {
  const status = text(order.status) ?? '';
  if (!SOLD.has(status)) return { kind: 'not_a_sale', reason: `order is ${status || 'not paid'}` };
  const amount = integer(order.total_amount);
  if (!amount) return { kind: 'not_a_sale', reason: 'order total is zero' };
  const orderId = text(order.id)!;
  const metadata = object(order.metadata);
  // A renewal order may carry only its subscription's metadata, which the checkout filled.
  const subscriptionMetadata = object(object(order.subscription).metadata);
  const code = text(object(order.discount).code);
  return {
    kind: 'order',
    order: {
      orderId,
      refs: [orderId],
      amount,
      currency: currency(order.currency),
      clickId: text(metadata.synaptyx_clickid) ?? text(subscriptionMetadata.synaptyx_clickid),
      clientReferenceId: text(metadata.reference_id) ?? text(subscriptionMetadata.reference_id),
      customerId: text(order.customer_id),
      couponCodes: code ? [code] : [],
      couponLookup: null,
      paymentLookup: null,
      renewal: order.billing_reason === 'subscription_cycle',
      // Polar reports a subscription's first payment once, as its order: there is no second report to merge.
      initialSubscriptionPayment: false,
      refundedAmount: refundedOf(order),
      occurredAt,
    },
  };
}

function refundEvent(refund: Json, occurredAt: Date): NormalizedEvent {
  const orderId = text(refund.order_id);
  if (!orderId) return { kind: 'not_a_sale', reason: 'refund names no order' };
  const status = text(refund.status) ?? '';
  return {
    kind: 'refund',
    refund: {
      refs: [orderId],
      refundId: text(refund.id)!,
      amount: (integer(refund.amount) ?? 0) + (integer(refund.tax_amount) ?? 0),
      currency: currency(refund.currency),
      status: REFUND_STATUS.has(status) ? (status as RefundFacts['status']) : 'pending',
      occurredAt,
      createdAt: isoTime(refund.created_at),
    },
  };
}

/** Polar's cumulative refund, tax included; null when nothing is refunded, so a repeated order is a duplicate. */
function refundedOf(order: Json): number | null {
  const refunded = (integer(order.refunded_amount) ?? 0) + (integer(order.refunded_tax_amount) ?? 0);
  return refunded > 0 ? refunded : null;
}
