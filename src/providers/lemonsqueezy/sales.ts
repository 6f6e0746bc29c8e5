import type { ApiCredentials, OrderFacts, ProviderEvent } from '../provider.js';
import { idText, integer, isoTime, object, present, text } from '../fields.js';
import { LemonSqueezyApi, resources } from './api.js';
import { PAID_STATUSES } from './normalize.js';

const PAGE_SIZE = 100;

/**
 * Orders created since `since`, each as the order_created that would have reported it (the event id derives from
 * the order, so an order reconciled twice is one event). `GET /v1/orders` has no date filter and lists the newest
 * first, so it is paged back until an order older than `since`. The API does not return a checkout's custom
 * data: a reconciled sale is attributed through its customer or its discount code, or not at all.
 */
export async function* listOrdersSince(apiBase: string, credentials: ApiCredentials, since: Date): AsyncIterable<ProviderEvent> {
  const api = new LemonSqueezyApi(apiBase, credentials.apiKey);
  for (let page = 1; ; page++) {
    const { body } = await api.get('listing orders', `/v1/orders?page[number]=${page}&page[size]=${PAGE_SIZE}`);
    const orders = resources(body);
    for (const order of orders) {
      const created = isoTime(order.attributes.created_at);
      if (!created || created < since) return;
      if (!PAID_STATUSES.has(text(order.attributes.status) ?? '')) continue;
      yield {
        id: `reconcile:${order.id}`,
        type: 'order_created',
        account: null,
        createdAt: created,
        body: { meta: { event_name: 'order_created', test_mode: order.attributes.test_mode === true, custom_data: {} }, data: { type: 'orders', id: order.id, attributes: order.attributes } },
        testMode: order.attributes.test_mode === true,
      };
    }
    const lastPage = integer(object(object(body.meta).page).lastPage);
    if (orders.length === 0 || (lastPage !== null ? page >= lastPage : orders.length < PAGE_SIZE)) return;
  }
}

/** The order of a subscription (`paymentLookup`): its first invoice is the same payment as that order. */
export async function subscriptionOrder(apiBase: string, order: OrderFacts, credentials: ApiCredentials): Promise<string[]> {
  if (!order.paymentLookup) return [];
  const api = new LemonSqueezyApi(apiBase, credentials.apiKey);
  const { body } = await api.get('reading the subscription', `/v1/subscriptions/${encodeURIComponent(order.paymentLookup)}`);
  const orderId = idText(object(object(body.data).attributes).order_id);
  return orderId ? [orderId] : [];
}

/** The codes of the discounts an order redeemed: webhooks carry only the discounted total. */
export async function discountCodes(apiBase: string, order: OrderFacts, credentials: ApiCredentials): Promise<string[]> {
  if (!order.couponLookup) return [];
  const api = new LemonSqueezyApi(apiBase, credentials.apiKey);
  const { body } = await api.get('reading the discount redemptions', `/v1/discount-redemptions?filter[order_id]=${encodeURIComponent(order.couponLookup)}`);
  return present(resources(body).map((redemption) => text(redemption.attributes.discount_code)));
}
