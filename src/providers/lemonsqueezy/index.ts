import type { EventMapping, PaymentProvider } from '../provider.js';
import { normalizeLemonSqueezyEvent } from './normalize.js';
import { verifyLemonSqueezyDelivery } from './signature.js';
import { discountCodes, listOrdersSince, subscriptionOrder } from './sales.js';
import { checkLemonSqueezyKey, createLemonSqueezyWebhooks, deleteLemonSqueezyWebhooks } from './webhooks.js';
import { LemonSqueezyApi } from './api.js';

/** A subscription's first payment is reported as an order and as an invoice: both are read, and they are one sale. */
const defaultMappings: EventMapping[] = [
  { event_type: 'order_created', action: 'conversion', goal: 'purchase' },
  { event_type: 'subscription_payment_success', action: 'conversion', goal: 'renewal' },
];

/**
 * Lemon Squeezy: `X-Signature` over the raw bytes, checked here (its SDK has no verifier); the merchant pastes only
 * an API key and Synaptyx creates the webhooks itself, or pastes the secret of webhooks they made.
 */
export function createLemonSqueezyProvider(options: { apiBase: string }): PaymentProvider {
  const api = (apiKey: string) => new LemonSqueezyApi(options.apiBase, apiKey);
  return {
    name: 'lemonsqueezy',
    defaultMappings,
    verify: async (delivery, signingSecret) => verifyLemonSqueezyDelivery(delivery, signingSecret),
    normalize: normalizeLemonSqueezyEvent,
    resolveCouponCodes: (order, credentials) => discountCodes(options.apiBase, order, credentials),
    resolvePaymentRefs: (order, credentials) => subscriptionOrder(options.apiBase, order, credentials),
    listRecentSales: (credentials, since) => listOrdersSince(options.apiBase, credentials, since),
    // Asked even with a secret: whether the key is a test-mode key decides whether test-mode events count.
    checkKey: (apiKey) => checkLemonSqueezyKey(api(apiKey)),
    provisionWebhook: (credentials, url, account) => createLemonSqueezyWebhooks(api(credentials.apiKey), url, account),
    removeWebhook: (credentials, webhookId) => deleteLemonSqueezyWebhooks(api(credentials.apiKey), webhookId),
  };
}
