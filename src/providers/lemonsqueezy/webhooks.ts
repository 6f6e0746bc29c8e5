import { randomBytes } from 'node:crypto';
import { OAuthRefused, ProviderUnavailable, type KeyAccount, type ProvisionedWebhook } from '../provider.js';
import { object, text } from '../fields.js';
import { LemonSqueezyApi, resources } from './api.js';

/** Every event the normaliser reads: sales, refunds, and subscriptions for their custom data. */
export const LEMONSQUEEZY_WEBHOOK_EVENTS = [
  'order_created', 'order_refunded',
  'subscription_created', 'subscription_updated',
  'subscription_payment_success', 'subscription_payment_refunded',
] as const;

/**
 * What a key reaches: its mode (`meta.test_mode` of the user it belongs to; test-mode keys see only test data)
 * and its stores. A key is bound to a user, who may own several stores; the source covers them all.
 */
export async function checkLemonSqueezyKey(api: LemonSqueezyApi): Promise<KeyAccount> {
  const { body: me } = await api.get('checking the API key', '/v1/users/me');
  const stores = await listStores(api);
  return {
    accountId: stores.map((store) => store.id).join(',') || null,
    accountName: stores.map((store) => store.name).join(', ') || null,
    testMode: object(me.meta).test_mode === true,
  };
}

/**
 * A webhook belongs to one store: one is created in every store the key reaches, all signed with one secret that
 * Synaptyx generates (Lemon Squeezy takes 6 to 40 characters), in the key's mode. Their ids are kept together.
 */
export async function createLemonSqueezyWebhooks(api: LemonSqueezyApi, url: string, account: KeyAccount | null): Promise<ProvisionedWebhook> {
  const stores = await listStores(api);
  if (stores.length === 0) throw new OAuthRefused('Lemon Squeezy: the API key reaches no store to create a webhook in');
  const secret = randomBytes(24).toString('base64url');
  const created: string[] = [];
  try {
    for (const store of stores) {
      const answer = await api.post(`creating the webhook of store ${store.id}`, '/v1/webhooks', {
        data: {
          type: 'webhooks',
          attributes: { url, events: [...LEMONSQUEEZY_WEBHOOK_EVENTS], secret, test_mode: account?.testMode ?? false },
          relationships: { store: { data: { type: 'stores', id: store.id } } },
        },
      });
      const id = text(String(object(answer.data).id ?? ''));
      if (!id) throw new ProviderUnavailable('Lemon Squeezy created a webhook without an id');
      created.push(id);
    }
  } catch (error) {
    // All or none: a store left with a webhook of a source that was not saved would deliver to nothing.
    await deleteLemonSqueezyWebhooks(api, created.join(',')).catch(() => {});
    throw error;
  }
  return { id: created.join(','), secret };
}

export async function deleteLemonSqueezyWebhooks(api: LemonSqueezyApi, webhookIds: string): Promise<void> {
  for (const id of webhookIds.split(',').filter(Boolean)) {
    await api.delete('deleting the webhook', `/v1/webhooks/${encodeURIComponent(id)}`);
  }
}

async function listStores(api: LemonSqueezyApi): Promise<{ id: string; name: string }[]> {
  const { body } = await api.get('listing stores', '/v1/stores?page[size]=100');
  return resources(body).filter((store) => store.id).map((store) => ({ id: store.id, name: text(store.attributes.name) ?? store.id }));
}
