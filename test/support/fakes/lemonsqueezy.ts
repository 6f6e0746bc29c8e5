import { randomBytes } from 'node:crypto';
import { FakeServer, bearer, type FakeRequest, type FakeResponse } from './fake-server.js';

const unauthenticated: FakeResponse = { status: 401, json: { jsonapi: { version: '1.0' }, errors: [{ detail: 'Unauthenticated.', status: '401', title: 'Unauthorized' }] } };
const notFound: FakeResponse = { status: 404, json: { jsonapi: { version: '1.0' }, errors: [{ detail: 'Not found.', status: '404', title: 'Not Found' }] } };

export interface FakeLemonKey {
  testMode: boolean;
  stores: { id: string; name: string }[];
}

export interface FakeLemonWebhook {
  id: string;
  storeId: string;
  url: string;
  events: string[];
  secret: string;
  testMode: boolean;
}

let sequence = 1_000_000 + Math.floor(Math.random() * 1_000_000);
/** Lemon Squeezy's ids are sequential numbers. */
export const lemonId = () => String(sequence++);

/**
 * Lemon Squeezy's API (JSON:API) on 127.0.0.1, as Synaptyx uses it: `/v1/users/me` (whose `meta.test_mode` is the
 * key's mode), `/v1/stores`, `/v1/webhooks`, `/v1/orders` (newest first, paged, no date filter),
 * `/v1/subscriptions/:id` and `/v1/discount-redemptions`. Keys are registered by the test with what they reach.
 */
export class FakeLemonSqueezy extends FakeServer {
  readonly keys = new Map<string, FakeLemonKey>();
  readonly webhooks = new Map<string, FakeLemonWebhook>();
  /** Orders by key (all the key's stores), as the API returns them: `{type, id, attributes}`. */
  readonly orders = new Map<string, Record<string, any>[]>();
  /** Subscription id → its order id. */
  readonly subscriptionOrders = new Map<string, string>();
  /** Order id → the discount codes it redeemed. */
  readonly redemptions = new Map<string, string[]>();
  /** Orders per page at most, small so that paging is exercised (the API allows 100). */
  pageSize = 2;

  constructor() {
    super((request) => this.answer(request));
  }

  env(): Record<string, string> {
    return { LEMONSQUEEZY_API_BASE: this.url };
  }

  /** A key of its own for one test, reaching `stores` new stores, in live or test mode. */
  newKey(options: { testMode?: boolean; stores?: number } = {}): string {
    const key = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${randomBytes(24).toString('base64url')}`;
    const stores = Array.from({ length: options.stores ?? 1 }, (_, i) => ({ id: lemonId(), name: `Lemon shop ${i + 1}` }));
    this.keys.set(key, { testMode: options.testMode ?? false, stores });
    return key;
  }

  /** The webhooks whose URL is this source's. */
  webhooksOf(sourceId: string): FakeLemonWebhook[] {
    return [...this.webhooks.values()].filter((webhook) => webhook.url.endsWith(`/webhooks/lemonsqueezy/${sourceId}`));
  }

  addOrder(key: string, order: Record<string, any>): void {
    this.orders.set(key, [...(this.orders.get(key) ?? []), order]);
  }

  private answer(request: FakeRequest): FakeResponse {
    if (request.headers.accept !== 'application/vnd.api+json') return { status: 406, json: { errors: [{ detail: 'Not Acceptable', status: '406' }] } };
    const key = this.keys.get(bearer(request) ?? '');
    if (!key) return unauthenticated;
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /v1/users/me') {
      return { status: 200, json: { meta: { test_mode: key.testMode }, jsonapi: { version: '1.0' }, data: { type: 'users', id: '1', attributes: { name: 'Jane Example' } } } };
    }
    if (route === 'GET /v1/stores') return { status: 200, json: { data: key.stores.map((store) => ({ type: 'stores', id: store.id, attributes: { name: store.name } })) } };
    if (route === 'POST /v1/webhooks') return this.createWebhook(request, key);
    const webhook = /^DELETE \/v1\/webhooks\/(\d+)$/.exec(route);
    if (webhook) return this.webhooks.delete(webhook[1]) ? { status: 204 } : notFound;
    if (route === 'GET /v1/orders') return this.listOrders(request);
    const subscription = /^GET \/v1\/subscriptions\/(\d+)$/.exec(route);
    if (subscription) {
      const orderId = this.subscriptionOrders.get(subscription[1]);
      return orderId ? { status: 200, json: { data: { type: 'subscriptions', id: subscription[1], attributes: { order_id: Number(orderId) } } } } : notFound;
    }
    if (route === 'GET /v1/discount-redemptions') {
      const codes = this.redemptions.get(request.query.get('filter[order_id]') ?? '') ?? [];
      return { status: 200, json: { data: codes.map((code) => ({ type: 'discount-redemptions', id: lemonId(), attributes: { discount_code: code } })) } };
    }
    return notFound;
  }

  private createWebhook(request: FakeRequest, key: FakeLemonKey): FakeResponse {
    const data = request.json?.data ?? {};
    const { url, events, secret, test_mode: testMode } = data.attributes ?? {};
    const storeId = data.relationships?.store?.data?.id;
    if (data.type !== 'webhooks' || typeof url !== 'string' || !Array.isArray(events) || typeof secret !== 'string' || secret.length < 6 || secret.length > 40) {
      return { status: 422, json: { errors: [{ detail: 'The url, events and secret (6 to 40 characters) are required.', status: '422' }] } };
    }
    if (!key.stores.some((store) => store.id === storeId)) return { status: 422, json: { errors: [{ detail: 'The store does not exist.', status: '422' }] } };
    const webhook: FakeLemonWebhook = { id: lemonId(), storeId, url, events, secret, testMode: testMode === true };
    this.webhooks.set(webhook.id, webhook);
    return { status: 201, json: { data: { type: 'webhooks', id: webhook.id, attributes: { store_id: Number(storeId), url, events, test_mode: webhook.testMode } } } };
  }

  private listOrders(request: FakeRequest): FakeResponse {
    const orders = [...(this.orders.get(bearer(request)!) ?? [])].sort((a, b) => Date.parse(b.attributes.created_at) - Date.parse(a.attributes.created_at));
    const page = Number(request.query.get('page[number]') ?? 1);
    const size = Math.min(Number(request.query.get('page[size]') ?? 10), this.pageSize);
    const lastPage = Math.max(1, Math.ceil(orders.length / size));
    return {
      status: 200,
      json: {
        meta: { page: { currentPage: page, from: (page - 1) * size + 1, lastPage, perPage: size, to: Math.min(page * size, orders.length), total: orders.length } },
        data: orders.slice((page - 1) * size, page * size),
      },
    };
  }
}
