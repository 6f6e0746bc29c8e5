import { createPolar } from '@polar-sh/sdk/2026-10';
import type { ApiCredentials, ProviderEvent } from '../provider.js';
import { polarCall } from './errors.js';
import { SOLD_STATUSES } from './normalize.js';


/**
 * Orders created since `since`, each as the `order.paid` that would have reported it. The event id is derived
 * from the order, so an order reconciled twice is one event.
 */
export async function* listSoldOrders(apiBase: string, credentials: ApiCredentials, since: Date): AsyncIterable<ProviderEvent> {
  const polar = createPolar({ accessToken: credentials.apiKey, baseUrl: apiBase, timeout: 20 });
  const orders = polar.orders.iterList({ created_after: since.toISOString(), status: [...SOLD_STATUSES], limit: 100 });
  while (true) {
    const next = await polarCall('listing orders', () => orders.next());
    if (next.done) return;
    const order = next.value;
    yield {
      id: `reconcile:${order.id}`,
      type: 'order.paid',
      account: null,
      createdAt: new Date(order.created_at),
      body: { type: 'order.paid', timestamp: order.created_at, data: order },
    };
  }
}
