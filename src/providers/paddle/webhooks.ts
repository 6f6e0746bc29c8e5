import { ProviderUnavailable, type KeyAccount, type ProvisionedWebhook } from '../provider.js';
import { object, text } from '../fields.js';
import type { PaddleApi } from './api.js';

/** Every event the normaliser reads: sales, refunds and chargebacks (adjustments), subscriptions for their custom data. */
export const PADDLE_WEBHOOK_EVENTS = ['transaction.completed', 'adjustment.created', 'adjustment.updated', 'subscription.created', 'subscription.updated'] as const;

/** The key must read transactions, as reconciliation will; creating the destination needs `notification_setting.write` too. */
export async function checkPaddleKey(api: PaddleApi): Promise<KeyAccount> {
  await api.get('reading transactions with the API key', '/transactions?per_page=1');
  return { accountId: null, accountName: null, testMode: false };
}

/** A notification destination for `url`, real traffic only (no simulations); Paddle generates its secret. */
export async function createPaddleDestination(api: PaddleApi, url: string): Promise<ProvisionedWebhook> {
  const answer = await api.post('creating the notification destination', '/notification-settings', {
    description: 'Synaptyx conversions',
    type: 'url',
    destination: url,
    subscribed_events: [...PADDLE_WEBHOOK_EVENTS],
    api_version: 1,
    include_sensitive_fields: false,
    traffic_source: 'platform',
  });
  const destination = object(answer.data);
  const id = text(destination.id);
  const secret = text(destination.endpoint_secret_key);
  if (!id || !secret) throw new ProviderUnavailable('Paddle created the notification destination without its secret');
  return { id, secret };
}

export function deletePaddleDestination(api: PaddleApi, destinationId: string): Promise<void> {
  return api.delete('deleting the notification destination', `/notification-settings/${encodeURIComponent(destinationId)}`);
}
