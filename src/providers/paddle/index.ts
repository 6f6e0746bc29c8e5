import type { EventMapping, PaymentProvider } from '../provider.js';
import { normalizePaddleEvent } from './normalize.js';
import { verifyPaddleDelivery } from './signature.js';
import { discountCode, listCompletedTransactions } from './sales.js';
import { checkPaddleKey, createPaddleDestination, deletePaddleDestination } from './webhooks.js';
import { PaddleApi } from './api.js';

/** transaction.completed is the sale (renewals included, by their origin); adjustments change it in place. */
const defaultMappings: EventMapping[] = [{ event_type: 'transaction.completed', action: 'conversion', goal: 'purchase' }];

/**
 * Paddle Billing: `Paddle-Signature` checked here on the raw bytes; the merchant pastes only an API key and Synaptyx
 * creates the notification destination, keeping the secret Paddle returns, or pastes the secret of one they made.
 * `apiBase` null: Paddle's own hosts, the sandbox for a sandbox key.
 */
export function createPaddleProvider(options: { apiBase: string | null }): PaymentProvider {
  const api = (apiKey: string) => new PaddleApi(options.apiBase, apiKey);
  return {
    name: 'paddle',
    defaultMappings,
    verify: async (delivery, signingSecret) => verifyPaddleDelivery(delivery, signingSecret),
    normalize: normalizePaddleEvent,
    resolveCouponCodes: (order, credentials) => discountCode(options.apiBase, order, credentials),
    // Adjustments name the transaction itself, which every transaction event carries.
    resolvePaymentRefs: async () => [],
    listRecentSales: (credentials, since) => listCompletedTransactions(options.apiBase, credentials, since),
    checkKey: async (apiKey, { creatingWebhook }) => (creatingWebhook ? checkPaddleKey(api(apiKey)) : null),
    provisionWebhook: (credentials, url) => createPaddleDestination(api(credentials.apiKey), url),
    removeWebhook: (credentials, webhookId) => deletePaddleDestination(api(credentials.apiKey), webhookId),
  };
}
