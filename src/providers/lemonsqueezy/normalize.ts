import type { NormalizedEvent, OrderFacts, ProviderEvent } from '../provider.js';
import { currency, idText, integer, isoTime, object, text, type Json } from '../fields.js';

/** The statuses of an order or subscription invoice that was paid; a refunded one was paid first. */
export const PAID_STATUSES = new Set(['paid', 'refunded', 'partial_refund']);

/**
 * Orders and subscription invoices are numbered apart, so an invoice's key names its kind: order 7 and
 * invoice 7 are two payments.
 */
export const invoiceKey = (invoiceId: string) => `subscription-invoice:${invoiceId}`;

/** A verified Lemon Squeezy event as neutral facts; every Lemon Squeezy field name stays in this folder. */
export function normalizeLemonSqueezyEvent(event: ProviderEvent): NormalizedEvent {
  const body = object(event.body);
  const data = object(body.data);
  const id = idText(data.id);
  if (!id) return { kind: 'not_a_sale', reason: 'the event carries no object id' };
  const attributes = object(data.attributes);
  const custom = object(object(body.meta).custom_data);
  switch (event.type) {
    case 'order_created':
      return orderSale(id, attributes, custom, event.createdAt);
    case 'order_refunded':
      return refundTotal(id, attributes, event.createdAt);
    case 'subscription_payment_success':
      return invoiceSale(id, attributes, custom, event.createdAt);
    case 'subscription_payment_refunded':
      return refundTotal(invoiceKey(id), attributes, event.createdAt);
    case 'subscription_created':
    case 'subscription_updated':
      return {
        kind: 'subscription',
        subscription: { subscriptionId: id, customerId: idText(attributes.customer_id), clickId: clickIdIn(custom), clientReferenceId: null },
      };
    default:
      return { kind: 'unsupported' };
  }
}

/** Values passed in a checkout URL arrive as text; one passed through the API may be a number. */
const clickIdIn = (custom: Json) => idText(custom.synaptyx_clickid);

/** order_created: a sale once paid. A discount's code is known only through the order's discount redemptions. */
function orderSale(orderId: string, order: Json, custom: Json, occurredAt: Date): NormalizedEvent {
  const unpaid = unpaidReason('order', order);
  if (unpaid) return unpaid;
  return {
    kind: 'order',
    order: {
      ...saleFacts(orderId, order, custom, occurredAt),
      couponLookup: (integer(order.discount_total) ?? 0) > 0 ? orderId : null,
    },
  };
}

/**
 * subscription_payment_success: the first payment (`billing_reason: initial`) is the order_created of the same
 * checkout, which names no subscription: the subscription's order is looked up (paymentLookup), and without it
 * nothing is stored, so the provider retries rather than one payment becoming two sales. Later payments are
 * renewals, attributed through the subscription's custom data, which Lemon Squeezy sends with them, or the customer.
 */
function invoiceSale(invoiceId: string, invoice: Json, custom: Json, occurredAt: Date): NormalizedEvent {
  const unpaid = unpaidReason('subscription invoice', invoice);
  if (unpaid) return unpaid;
  const subscriptionId = idText(invoice.subscription_id);
  const initial = text(invoice.billing_reason) === 'initial';
  if (initial && !subscriptionId) return { kind: 'not_a_sale', reason: 'a first subscription payment without its subscription: its order reports the sale' };
  return {
    kind: 'order',
    order: {
      ...saleFacts(invoiceKey(invoiceId), invoice, custom, occurredAt),
      renewal: !initial,
      initialSubscriptionPayment: initial,
      paymentLookup: initial ? subscriptionId : null,
      paymentLookupRequired: initial,
    },
  };
}

function unpaidReason(what: string, payment: Json): NormalizedEvent | null {
  const status = text(payment.status) ?? '';
  if (!PAID_STATUSES.has(status)) return { kind: 'not_a_sale', reason: `${what} is ${status || 'not paid'}` };
  if (integer(payment.total) === 0) return { kind: 'not_a_sale', reason: `${what} total is zero` };
  return null;
}

function saleFacts(key: string, payment: Json, custom: Json, eventTime: Date): OrderFacts {
  return {
    orderId: key,
    refs: [key],
    // A missing or fractional total is refused by name (invalid_payload), never read as zero.
    amount: integer(payment.total) ?? Number.NaN,
    currency: currency(payment.currency),
    clickId: clickIdIn(custom),
    clientReferenceId: null,
    customerId: idText(payment.customer_id),
    couponCodes: [],
    couponLookup: null,
    paymentLookup: null,
    renewal: false,
    initialSubscriptionPayment: false,
    refundedAmount: refundedOf(payment),
    occurredAt: isoTime(payment.created_at) ?? eventTime,
  };
}

/**
 * order_refunded / subscription_payment_refunded carry the payment's cumulative `refunded_amount`: set, never
 * added, and judged against the total rather than by `status` (seen as `paid` and as `partial_refund` after a
 * partial refund). An older payload without the figure says only whether it was refunded in full.
 */
function refundTotal(key: string, payment: Json, occurredAt: Date): NormalizedEvent {
  const refunded = integer(payment.refunded_amount) ?? (payment.refunded === true || payment.status === 'refunded' ? integer(payment.total) : null);
  if (refunded === null) return { kind: 'not_a_sale', reason: 'a refund without its refunded amount' };
  return { kind: 'refund_total', refundTotal: { refs: [key], refundedAmount: refunded, currency: currency(payment.currency), occurredAt } };
}

/** The cumulative refund an order or invoice reports with its sale; null when nothing is refunded. */
function refundedOf(payment: Json): number | null {
  const refunded = integer(payment.refunded_amount) ?? 0;
  return refunded > 0 ? refunded : null;
}
