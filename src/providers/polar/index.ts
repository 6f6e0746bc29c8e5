import { webhooks } from '@polar-sh/sdk/2026-10';
import { InvalidSignature, type EventMapping, type PaymentProvider, type ProviderEvent, type WebhookDelivery } from '../provider.js';
import { object, text } from '../fields.js';
import { normalizePolarEvent } from './normalize.js';
import { listSoldOrders } from './sales.js';
import { checkPolarToken, createPolarEndpoint, deletePolarEndpoint, POLAR_WEBHOOK_EVENTS } from './webhooks.js';

/** Polar sends one order through created → paid → updated/refunded; all are read, and the order id makes them one sale. */
const defaultMappings: EventMapping[] = [
  { event_type: 'order.paid', action: 'conversion', goal: 'purchase' },
  { event_type: 'order.created', action: 'conversion', goal: 'purchase' },
  { event_type: 'order.updated', action: 'conversion', goal: 'purchase' },
  { event_type: 'order.refunded', action: 'conversion', goal: 'purchase' },
];

/**
 * Polar: Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`, 300 s either way), verified
 * by the SDK's validateEvent. The merchant pastes the secret exactly as Polar shows it (`polar_whs_...`): Polar
 * signs with that string's UTF-8 bytes. validateEvent also accepts the Standard Webhooks form (`whsec_` + base64
 * of the key), so a secret copied from a Standard Webhooks tool works too.
 */
export function createPolarProvider(options: { apiBase: string }): PaymentProvider {
  return {
    name: 'polar',
    defaultMappings,
    webhookEvents: POLAR_WEBHOOK_EVENTS,

    async verify(delivery: WebhookDelivery, signingSecret: string): Promise<ProviderEvent> {
      const headers = stringHeaders(delivery.headers);
      try {
        await webhooks.validateEvent(delivery.rawBody, headers, signingSecret);
      } catch (error) {
        // Raised only after the signature checked out: a genuine delivery of a type this SDK does not know yet.
        if (!(error instanceof webhooks.PolarWebhookUnknownTypeError)) {
          throw new InvalidSignature(`signature check failed: ${(error as Error).message}`);
        }
      }
      return eventOf(delivery.rawBody, headers);
    },

    normalize: normalizePolarEvent,

    async resolveCouponCodes(): Promise<string[]> {
      return []; // Polar orders carry the discount's code itself
    },

    listRecentSales: (credentials, since) => listSoldOrders(options.apiBase, credentials, since),

    // Polar's refunds name the order itself, which every order event carries.
    async resolvePaymentRefs(): Promise<string[]> {
      return [];
    },

    // An organization access token without a secret gets its endpoint made as the OAuth path makes one.
    checkKey: async (apiKey, { creatingWebhook }) => (creatingWebhook ? checkPolarToken(options.apiBase, apiKey) : null),
    provisionWebhook: (credentials, url) => createPolarEndpoint(options.apiBase, credentials.apiKey, url, null),
    removeWebhook: (credentials, webhookId) => deletePolarEndpoint(options.apiBase, credentials.apiKey, webhookId),
  };
}

/** validateEvent wants plain strings; Node gives lower-case names, and only set-cookie as an array. */
function stringHeaders(headers: WebhookDelivery['headers']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/**
 * Built from the raw bytes, not from what validateEvent returns: that is only typed as the SDK's schema, while
 * real payloads carry undocumented extra keys, so normalise() reads the snake_case JSON loosely.
 */
function eventOf(rawBody: Buffer, headers: Record<string, string>): ProviderEvent {
  const body = object(JSON.parse(rawBody.toString('utf8')));
  const sent = Date.parse(text(body.timestamp) ?? '');
  return {
    id: headers['webhook-id']!, // the Standard Webhooks message id, the same across retries; validateEvent required it
    type: text(body.type) ?? 'unknown',
    account: null,
    createdAt: new Date(Number.isNaN(sent) ? Number(headers['webhook-timestamp']) * 1000 : sent),
    body,
  };
}
