import type { NormalizedEvent, OrderFacts } from '../provider.js';
import { currency, idOf, integer, list, object, present, text, uniqueIds, type Json } from '../fields.js';

/** The canonical key of a subscription's first payment: its checkout session and first invoice share it. */
export const initialPaymentKey = (subscriptionId: string) => `${subscriptionId}:initial`;

const clickIdIn = (metadata: unknown) => text(object(metadata).synaptyx_clickid);

/** checkout.session.completed / async_payment_succeeded: a sale only once paid, never for setup or zero. */
export function checkoutSessionOrder(session: Json, occurredAt: Date): NormalizedEvent {
  const amount = integer(session.amount_total);
  if (session.mode === 'setup') return { kind: 'not_a_sale', reason: 'setup-mode session: no payment' };
  if (!amount) return { kind: 'not_a_sale', reason: 'session total is zero' };
  // Delayed methods (SEPA, ACH...) complete the session unpaid; the sale is the later async_payment_succeeded.
  if (session.payment_status !== 'paid') return { kind: 'not_a_sale', reason: 'unpaid: waiting for async_payment_succeeded' };
  const sessionId = text(session.id)!;
  const subscription = idOf(session.subscription);
  const paymentIntent = idOf(session.payment_intent);
  const orderId = subscription ? initialPaymentKey(subscription) : (paymentIntent ?? sessionId);
  const { couponCodes, needsLookup } = sessionDiscounts(session);
  const order: OrderFacts = {
    orderId,
    refs: uniqueIds([orderId, paymentIntent, sessionId, idOf(session.invoice)]),
    amount,
    currency: currency(session.currency),
    clickId: clickIdIn(session.metadata),
    clientReferenceId: text(session.client_reference_id),
    customerId: idOf(session.customer),
    couponCodes,
    couponLookup: needsLookup ? sessionId : null,
    paymentLookup: null,
    renewal: false,
    initialSubscriptionPayment: false,
    refundedAmount: null,
    occurredAt,
  };
  return { kind: 'order', order };
}

/**
 * Webhooks carry promotion codes as ids, so the human code needs the session retrieved with an expand.
 * Where `discounts` is present it is authoritative (a coupon alone has no code to match); older API versions
 * lack it, and then only `total_details.amount_discount` says a discount was used.
 */
function sessionDiscounts(session: Json): { couponCodes: string[]; needsLookup: boolean } {
  if (!Array.isArray(session.discounts)) {
    return { couponCodes: [], needsLookup: (integer(object(session.total_details).amount_discount) ?? 0) > 0 };
  }
  const promotionCodes = list(session.discounts).map((discount) => object(discount).promotion_code).filter((code) => idOf(code) !== null);
  const couponCodes = present(promotionCodes.map((code) => text(object(code).code)));
  return { couponCodes, needsLookup: couponCodes.length < promotionCodes.length };
}

/** invoice.paid in both shapes: legacy top-level `subscription`, current (basil) `parent.subscription_details`. */
export function paidInvoiceOrder(invoice: Json, occurredAt: Date): NormalizedEvent {
  const amount = integer(invoice.amount_paid);
  if (!amount) return { kind: 'not_a_sale', reason: 'invoice paid nothing (trial or credit)' };
  const details = object(object(invoice.parent).subscription_details);
  const legacyDetails = object(invoice.subscription_details);
  const subscription = idOf(details.subscription) ?? idOf(invoice.subscription);
  const reason = text(invoice.billing_reason);
  const invoiceId = text(invoice.id)!;
  const initial = subscription !== null && reason === 'subscription_create';
  const orderId = initial ? initialPaymentKey(subscription) : invoiceId;
  const paymentRefs = uniqueIds(invoicePaymentRefs(invoice));
  const order: OrderFacts = {
    orderId,
    refs: uniqueIds([orderId, invoiceId, ...paymentRefs]),
    amount,
    currency: currency(invoice.currency),
    clickId: clickIdIn(details.metadata) ?? clickIdIn(legacyDetails.metadata) ?? clickIdIn(invoice.metadata),
    clientReferenceId: null,
    customerId: idOf(invoice.customer),
    couponCodes: [],
    couponLookup: null,
    // A refund names the payment intent or charge, never the invoice: without them here, ask the API.
    paymentLookup: paymentRefs.length === 0 ? invoiceId : null,
    renewal: reason === 'subscription_cycle',
    initialSubscriptionPayment: initial,
    refundedAmount: null,
    occurredAt,
  };
  return { kind: 'order', order };
}

/**
 * The payment a refund or dispute will name. Legacy invoices carry `payment_intent` / `charge`; basil moved
 * them to `payments`, which a webhook includes only when the endpoint asks for it, so it is read when there.
 */
function invoicePaymentRefs(invoice: Json): (string | null)[] {
  const payments = list(object(invoice.payments).data).map((entry) => object(object(entry).payment));
  return [
    idOf(invoice.payment_intent),
    idOf(invoice.charge),
    ...payments.flatMap((payment) => [idOf(payment.payment_intent), idOf(payment.charge)]),
  ];
}
