import Stripe from 'stripe';
import { InvalidSignature, type ApiCredentials, type EventMapping, type NormalizedEvent, type OrderFacts, type PaymentProvider, type ProviderEvent, type WebhookDelivery } from '../provider.js';
import { object, present, text } from '../fields.js';
import { checkoutSessionOrder, paidInvoiceOrder } from './orders.js';
import { chargeRefundTotal, disputeAdjustment, refundAdjustment } from './adjustments.js';

const TOLERANCE_SECONDS = 300;

const defaultMappings: EventMapping[] = [
  { event_type: 'checkout.session.completed', action: 'conversion', goal: 'purchase' },
  { event_type: 'checkout.session.async_payment_succeeded', action: 'conversion', goal: 'purchase' },
  { event_type: 'invoice.paid', action: 'conversion', goal: 'renewal' },
];

/** Stripe: verification with the official SDK on the raw bytes, and the neutral facts of each event. */
export function createStripeProvider(options: { apiBase: string }): PaymentProvider {
  const clientOptions = hostOptions(options.apiBase);
  const verifier = new Stripe('sk_verification_only', clientOptions);

  return {
    name: 'stripe',
    defaultMappings,

    async verify(delivery: WebhookDelivery, signingSecret: string): Promise<ProviderEvent> {
      const header = delivery.headers['stripe-signature'];
      if (typeof header !== 'string') throw new InvalidSignature('missing Stripe-Signature header');
      let event: Stripe.Event;
      try {
        event = verifier.webhooks.constructEvent(delivery.rawBody, header, signingSecret, TOLERANCE_SECONDS);
      } catch (error) {
        throw new InvalidSignature(`signature check failed: ${(error as Error).message.split('\n')[0]}`);
      }
      return {
        id: event.id,
        type: event.type,
        account: text((event as { account?: unknown }).account),
        createdAt: new Date(event.created * 1000),
        body: event,
      };
    },

    normalize(event: ProviderEvent): NormalizedEvent {
      const body = object(event.body);
      const data = object(object(body.data).object);
      if (!text(data.id) && event.type !== 'account.application.deauthorized') {
        return { kind: 'not_a_sale', reason: 'the event carries no object id' };
      }
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
        case 'charge.refund.updated':
          return refundAdjustment(data, event.createdAt);
        case 'charge.dispute.created':
        case 'charge.dispute.updated':
        case 'charge.dispute.closed':
        case 'charge.dispute.funds_reinstated':
          return disputeAdjustment(data, event.type, event.createdAt);
        case 'customer.subscription.created':
        case 'customer.subscription.updated': {
          const metadata = object(data.metadata);
          return {
            kind: 'subscription',
            subscription: { subscriptionId: text(data.id)!, customerId: text(data.customer) ?? text(object(data.customer).id), clickId: text(metadata.synaptyx_clickid), clientReferenceId: null },
          };
        }
        case 'account.application.deauthorized':
          return event.account ? { kind: 'account_deauthorized', accountId: event.account } : { kind: 'not_a_sale', reason: 'deauthorization without an account' };
        default:
          return { kind: 'unsupported' };
      }
    },

    /** Webhooks carry promotion code ids only; the human code needs the session, expanded. */
    async resolveCouponCodes(order: OrderFacts, credentials: ApiCredentials): Promise<string[]> {
      if (!order.couponLookup) return [];
      const stripe = new Stripe(credentials.apiKey, { ...clientOptions, maxNetworkRetries: 1, timeout: 10_000 });
      const session = await stripe.checkout.sessions.retrieve(
        order.couponLookup,
        { expand: ['discounts.promotion_code'] },
        credentials.connectedAccount ? { stripeAccount: credentials.connectedAccount } : undefined,
      );
      return present((session.discounts ?? []).map((discount) => text(object(discount.promotion_code).code)));
    },
  };
}

/** `new Stripe(key, { host, port, protocol })` points the SDK at STRIPE_API_BASE (a fake server in tests). */
export function hostOptions(apiBase: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}
