import { webhooks } from '@polar-sh/sdk/2026-10';
import { InvalidSignature, type EventMapping, type NormalizedEvent, type PaymentProvider, type ProviderEvent, type RefundFacts, type WebhookDelivery } from '../provider.js';
import { integer, object, text, type Json } from '../fields.js';

const defaultMappings: EventMapping[] = [
  { event_type: 'order.paid', action: 'conversion', goal: 'purchase' },
  { event_type: 'order.created', action: 'conversion', goal: 'purchase' },
  { event_type: 'order.updated', action: 'conversion', goal: 'purchase' },
  { event_type: 'order.refunded', action: 'conversion', goal: 'purchase' },
];

const SOLD = new Set(['paid', 'refunded', 'partially_refunded']);
const REFUND_STATUS = new Set<RefundFacts['status']>(['pending', 'succeeded', 'failed', 'canceled']);

/**
 * Polar: Standard Webhooks verified by the SDK's validateEvent, which accepts the secret Polar shows
 * (`polar_whs_...`, used as raw bytes) as well as a base64 `whsec_...` form.
 */
export function createPolarProvider(_options: { apiBase: string }): PaymentProvider {
  return {
    name: 'polar',
    defaultMappings,

    async verify(delivery: WebhookDelivery, signingSecret: string): Promise<ProviderEvent> {
      const headers = Object.fromEntries(
        Object.entries(delivery.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
      try {
        await webhooks.validateEvent(delivery.rawBody, headers, signingSecret);
      } catch (error) {
        // Signed, but a type this SDK version does not know yet: still a genuine delivery, logged as ignored.
        if (error instanceof webhooks.PolarWebhookUnknownTypeError) return eventOf(delivery);
        throw new InvalidSignature(`signature check failed: ${(error as Error).message}`);
      }
      return eventOf(delivery);
    },

    normalize(event: ProviderEvent): NormalizedEvent {
      const data = object(object(event.body).data);
      if (!text(data.id)) return { kind: 'not_a_sale', reason: 'the event carries no object id' };
      if (event.type.startsWith('order.')) return orderEvent(data, event.createdAt);
      if (event.type === 'refund.created' || event.type === 'refund.updated') return refundEvent(data, event.createdAt);
      if (event.type.startsWith('subscription.')) {
        const metadata = object(data.metadata);
        return {
          kind: 'subscription',
          subscription: { subscriptionId: text(data.id)!, customerId: text(data.customer_id), clickId: text(metadata.synaptyx_clickid), clientReferenceId: text(metadata.reference_id) },
        };
      }
      return { kind: 'unsupported' };
    },

    async resolveCouponCodes(): Promise<string[]> {
      return []; // Polar orders carry the discount's code itself
    },
  };
}

/** Only reached after the signature checked out; the id is the Standard Webhooks message id. */
function eventOf(delivery: WebhookDelivery): ProviderEvent {
  const body = object(JSON.parse(delivery.rawBody.toString('utf8')));
  const timestamp = Date.parse(text(body.timestamp) ?? '');
  return {
    id: String(delivery.headers['webhook-id']),
    type: text(body.type) ?? 'unknown',
    account: null,
    createdAt: Number.isNaN(timestamp) ? new Date() : new Date(timestamp),
    body,
  };
}

/** Amounts include tax on both sides: total_amount, and refunded_amount + refunded_tax_amount. */
function orderEvent(order: Json, occurredAt: Date): NormalizedEvent {
  const status = text(order.status) ?? '';
  if (!SOLD.has(status)) return { kind: 'not_a_sale', reason: `order is ${status || 'not paid'}` };
  const amount = integer(order.total_amount);
  if (!amount) return { kind: 'not_a_sale', reason: 'order total is zero' };
  const orderId = text(order.id)!;
  const metadata = object(order.metadata);
  const code = text(object(order.discount).code);
  return {
    kind: 'order',
    order: {
      orderId,
      refs: [orderId],
      amount,
      currency: (text(order.currency) ?? '').toUpperCase(),
      clickId: text(metadata.synaptyx_clickid) ?? text(object(object(order.subscription).metadata).synaptyx_clickid),
      clientReferenceId: text(metadata.reference_id),
      customerId: text(order.customer_id),
      couponCodes: code ? [code] : [],
      couponLookup: null,
      renewal: order.billing_reason === 'subscription_cycle',
      initialSubscriptionPayment: false,
      refundedAmount: (integer(order.refunded_amount) ?? 0) + (integer(order.refunded_tax_amount) ?? 0),
      occurredAt,
    },
  };
}

function refundEvent(refund: Json, occurredAt: Date): NormalizedEvent {
  const status = text(refund.status) as RefundFacts['status'];
  return {
    kind: 'refund',
    refund: {
      refs: [text(refund.order_id) ?? ''],
      refundId: text(refund.id)!,
      amount: (integer(refund.amount) ?? 0) + (integer(refund.tax_amount) ?? 0),
      currency: (text(refund.currency) ?? '').toUpperCase(),
      status: REFUND_STATUS.has(status) ? status : 'pending',
      occurredAt,
    },
  };
}
