import Stripe from 'stripe';
import { InvalidSignature, type EventMapping, type PaymentProvider, type ProviderEvent, type WebhookDelivery } from '../provider.js';
import { integer, object, text } from '../fields.js';
import { normalizeStripeEvent } from './normalize.js';
import { resolvePromotionCodes, stripeHost } from './coupons.js';
import { listPaidSessions } from './sales.js';
import { resolveInvoicePayments } from './invoice-payments.js';

/** Stripe's own default, stated so that a change in the SDK cannot widen the replay window. */
const TOLERANCE_SECONDS = 300;

/** Only sales are mapped: refunds and disputes are adjustments, always applied to the conversion they name. */
const defaultMappings: EventMapping[] = [
  { event_type: 'checkout.session.completed', action: 'conversion', goal: 'purchase' },
  { event_type: 'checkout.session.async_payment_succeeded', action: 'conversion', goal: 'purchase' },
  { event_type: 'invoice.paid', action: 'conversion', goal: 'renewal' },
];

/** What the merchant enables on their endpoint: the sales, refunds and disputes that change them, subscriptions for their metadata. */
const webhookEvents = [
  'checkout.session.completed', 'checkout.session.async_payment_succeeded', 'invoice.paid',
  'charge.refunded', 'charge.refund.updated', 'charge.dispute.created', 'charge.dispute.closed',
  'customer.subscription.created', 'customer.subscription.updated',
];

/** Stripe: verification with the official SDK on the raw bytes, and the neutral facts of each event. */
export function createStripeProvider(options: { apiBase: string }): PaymentProvider {
  const host = stripeHost(options.apiBase);
  // Verification is offline: the key is never sent anywhere.
  const verifier = new Stripe('sk_verification_only');

  return {
    name: 'stripe',
    defaultMappings,
    webhookEvents,

    async verify(delivery: WebhookDelivery, signingSecret: string): Promise<ProviderEvent> {
      const header = delivery.headers['stripe-signature'];
      if (typeof header !== 'string') throw new InvalidSignature('missing Stripe-Signature header');
      let event: unknown;
      try {
        event = verifier.webhooks.constructEvent(delivery.rawBody, header, signingSecret, TOLERANCE_SECONDS);
      } catch (error) {
        // Stripe's messages run to several lines of advice; the first says what failed.
        throw new InvalidSignature(`signature check failed: ${String((error as Error).message).split('\n')[0]}`);
      }
      const body = object(event);
      const id = text(body.id);
      const type = text(body.type);
      const created = integer(body.created);
      if (!id || !type || created === null) throw new InvalidSignature('signed payload is not a Stripe event');
      return { id, type, account: text(body.account), createdAt: new Date(created * 1000), body };
    },

    normalize: normalizeStripeEvent,

    resolveCouponCodes: (order, credentials) => resolvePromotionCodes(host, order, credentials),

    listRecentSales: (credentials, since) => listPaidSessions(host, credentials, since),

    resolvePaymentRefs: (order, credentials) => resolveInvoicePayments(host, order, credentials),

    // The merchant creates the endpoint in Stripe's dashboard and pastes its signing secret; the key is only read with.
    checkKey: async () => null,
    provisionWebhook: async () => null,
    removeWebhook: async () => {},
  };
}
