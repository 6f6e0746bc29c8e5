import { createPolar } from '@polar-sh/sdk/2026-10';
import { ProviderUnavailable, type KeyAccount, type ProvisionedWebhook } from '../provider.js';
import { polarCall, statusOf } from './errors.js';

/** Every event the normaliser reads: sales (the default mappings), refunds, and subscriptions for their metadata. */
export const POLAR_WEBHOOK_EVENTS = [
  'order.created', 'order.paid', 'order.updated', 'order.refunded',
  'refund.created', 'refund.updated',
  'subscription.created', 'subscription.updated', 'subscription.active',
] as const;

/** `createPolar({ baseUrl })` points the SDK at POLAR_API_BASE (its `serverURL` option would be ignored). */
const polarApi = (apiBase: string, accessToken: string) => createPolar({ accessToken, baseUrl: apiBase, timeout: 15 });

/**
 * Creates a raw-format endpoint for `url` with the events Synaptyx reads; Polar generates its secret. An OAuth
 * token names the organization; an organization access token (API-key mode) is bound to its own, so none is sent.
 */
export async function createPolarEndpoint(apiBase: string, accessToken: string, url: string, organizationId: string | null): Promise<ProvisionedWebhook> {
  const endpoint = await polarCall('creating the webhook endpoint', () =>
    polarApi(apiBase, accessToken).webhooks.createWebhookEndpoint({
      url,
      format: 'raw',
      events: [...POLAR_WEBHOOK_EVENTS],
      ...(organizationId ? { organization_id: organizationId } : {}),
    }),
  );
  if (!endpoint.id || !endpoint.secret) throw new ProviderUnavailable('Polar created the webhook endpoint without a secret');
  return { id: endpoint.id, secret: endpoint.secret };
}

export async function deletePolarEndpoint(apiBase: string, accessToken: string, webhookId: string): Promise<void> {
  try {
    await polarApi(apiBase, accessToken).webhooks.deleteWebhookEndpoint(webhookId);
  } catch (error) {
    if (statusOf(error) === 404) return; // already gone: what removing it wanted
    await polarCall('deleting the webhook endpoint', () => Promise.reject(error));
  }
}

/** An organization access token's check: it must read orders, as reconciliation will. Polar has no test-mode events. */
export async function checkPolarToken(apiBase: string, accessToken: string): Promise<KeyAccount> {
  await polarCall('reading orders with the token', () => polarApi(apiBase, accessToken).orders.list({ limit: 1 }));
  return { accountId: null, accountName: null, testMode: false };
}
