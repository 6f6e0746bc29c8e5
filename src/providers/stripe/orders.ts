import type { NormalizedEvent, OrderFacts } from '../provider.js';
import { idOf, integer, list, object, present, text, type Json } from '../fields.js';

/** The canonical key of a subscription's first payment: its checkout session and first invoice share it. */
export const initialPaymentKey = (subscriptionId: string) => `${subscriptionId}:initial`;

const clickIdIn = (metadata: unknown) => text(object(metadata).synaptyx_clickid);

/** checkout.session.completed / async_payment_succeeded: a sale only once paid, never for setup or zero. */
export function checkoutSessionOrder(session: Json, occurredAt: Date): NormalizedEvent {
  const amount = integer(session.amount_total);
  if (session.mode === 'setup') return { kind: 'not_a_sale', reason: 'setup-mode session: no payment' };
  if (!amount) return { kind: 'not_a_sale', reason: 'session total is zero' };
  if (session.payment_status !== 'paid') {
    return { kind: 'not_a_sale', reason: 'unpaid session: waiting for checkout.session.async_payment_succeeded' };
  }
  const sessionId = text(session.id)!;
  const subscription = idOf(session.subscription);
  const paymentIntent = idOf(session.payment_intent);
  const orderId = subscription ? initialPaymentKey(subscription) : (paymentIntent ?? sessionId);
  const discounts = list(session.discounts).map(object);
  const discounted = discounts.length > 0 || (integer(object(session.total_details).amount_discount) ?? 0) > 0;
  const order: OrderFacts = {
    orderId,
    refs: present([orderId, sessionId, paymentIntent, idOf(session.invoice)]),
    amount,
    currency: (text(session.currency) ?? '').toUpperCase(),
    clickId: clickIdIn(session.metadata),
    clientReferenceId: text(session.client_reference_id),
    customerId: idOf(session.customer),
    couponCodes: present(discounts.map((discount) => text(object(discount.promotion_code).code))),
    couponLookup: discounted ? sessionId : null,
    renewal: false,
    initialSubscriptionPayment: false,
    refundedAmount: null,
    occurredAt,
  };
  return { kind: 'order', order };
}

/** invoice.paid in both shapes: legacy top-level `subscription`, current `parent.subscription_details`. */
export function paidInvoiceOrder(invoice: Json, occurredAt: Date): NormalizedEvent {
  const amount = integer(invoice.amount_paid);
  if (!amount) return { kind: 'not_a_sale', reason: 'invoice paid nothing (trial or credit)' };
  const details = object(object(invoice.parent).subscription_details);
  const legacyDetails = object(invoice.subscription_details);
  const subscription = idOf(details.subscription) ?? idOf(invoice.subscription);
  const reason = text(invoice.billing_reason);
  const invoiceId = text(invoice.id)!;
  const initial = Boolean(subscription) && reason === 'subscription_create';
  const orderId = initial ? initialPaymentKey(subscription!) : invoiceId;
  const order: OrderFacts = {
    orderId,
    refs: present([orderId, invoiceId, idOf(invoice.payment_intent), idOf(invoice.charge)]),
    amount,
    currency: (text(invoice.currency) ?? '').toUpperCase(),
    clickId: clickIdIn(details.metadata) ?? clickIdIn(legacyDetails.metadata) ?? clickIdIn(invoice.metadata),
    clientReferenceId: null,
    customerId: idOf(invoice.customer),
    couponCodes: [],
    couponLookup: null,
    renewal: reason === 'subscription_cycle',
    initialSubscriptionPayment: initial,
    refundedAmount: null,
    occurredAt,
  };
  return { kind: 'order', order };
}
