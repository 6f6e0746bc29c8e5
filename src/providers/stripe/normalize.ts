import type { NormalizedEvent, ProviderEvent } from '../provider.js';
import { idOf, object, text } from '../fields.js';
import { checkoutSessionOrder, paidInvoiceOrder } from './orders.js';
import { chargeRefundTotal, disputeAdjustment, refundAdjustment } from './adjustments.js';

/** A verified Stripe event as neutral facts; every Stripe field name stays in this folder. */
export function normalizeStripeEvent(event: ProviderEvent): NormalizedEvent {
  if (event.type === 'account.application.deauthorized') {
    // data.object is the platform's application; the merchant who left is the Connect `account`.
    return event.account ? { kind: 'account_deauthorized', accountId: event.account } : { kind: 'not_a_sale', reason: 'deauthorization without an account' };
  }
  const data = object(object(object(event.body).data).object);
  if (!text(data.id)) return { kind: 'not_a_sale', reason: 'the event carries no object id' };
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return checkoutSessionOrder(data, event.createdAt);
    case 'invoice.paid':
      return paidInvoiceOrder(data, event.createdAt);
    case 'charge.refunded':
      return chargeRefundTotal(data, event.createdAt);
    case 'refund.created':
    case 'refund.updated':
    case 'refund.failed':
    case 'charge.refund.updated':
      return refundAdjustment(data, event.createdAt);
    case 'charge.dispute.created':
    case 'charge.dispute.updated':
    case 'charge.dispute.closed':
    case 'charge.dispute.funds_reinstated':
      return disputeAdjustment(data, event.type, event.createdAt);
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
      return {
        kind: 'subscription',
        subscription: {
          subscriptionId: text(data.id)!,
          customerId: idOf(data.customer),
          clickId: text(object(data.metadata).synaptyx_clickid),
          clientReferenceId: null, // a Stripe subscription has no client_reference_id; its session had it
        },
      };
    default:
      return { kind: 'unsupported' };
  }
}
