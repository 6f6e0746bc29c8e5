import { randomBytes } from 'node:crypto';
import { FakeServer, bearer, type FakeRequest, type FakeResponse } from './fake-server.js';

const paddleId = (prefix: string) => `${prefix}_01${randomBytes(12).toString('hex').slice(0, 24)}`;
const error = (status: number, code: string, detail: string): FakeResponse => ({
  status,
  json: { error: { type: 'request_error', code, detail, documentation_url: `https://developer.paddle.com/errors/shared/${code}` }, meta: { request_id: randomBytes(8).toString('hex') } },
});

export interface FakeDestination {
  id: string;
  description: string;
  type: string;
  destination: string;
  subscribed_events: string[];
  api_version: number;
  traffic_source: string;
  endpoint_secret_key: string;
}

/**
 * Paddle Billing's API on 127.0.0.1, as Synaptyx uses it: `/transactions` (status and `created_at[GTE]` filters,
 * `after` cursor), `/notification-settings` and `/discounts/:id`. A key may lack the permission to manage
 * notification destinations, as a Paddle key can.
 */
export class FakePaddle extends FakeServer {
  readonly keys = new Map<string, { notifications: boolean }>();
  readonly destinations = new Map<string, FakeDestination>();
  /** Transactions by key, as the API returns them. */
  readonly transactions = new Map<string, Record<string, any>[]>();
  readonly discounts = new Map<string, string | null>();
  /** Transactions per page, small so that paging is exercised. */
  pageSize = 2;

  constructor() {
    super((request) => this.answer(request));
  }

  env(): Record<string, string> {
    return { PADDLE_API_BASE: this.url };
  }

  newKey(options: { notifications?: boolean } = {}): string {
    const key = `pdl_sdbx_apikey_01${randomBytes(12).toString('hex')}_${randomBytes(12).toString('base64url')}`;
    this.keys.set(key, { notifications: options.notifications ?? true });
    return key;
  }

  destinationOf(sourceId: string): FakeDestination | undefined {
    return [...this.destinations.values()].find((destination) => destination.destination.endsWith(`/webhooks/paddle/${sourceId}`));
  }

  addTransaction(key: string, transaction: Record<string, any>): void {
    this.transactions.set(key, [...(this.transactions.get(key) ?? []), transaction]);
  }

  addDiscount(code: string | null): string {
    const id = paddleId('dsc');
    this.discounts.set(id, code);
    return id;
  }

  private answer(request: FakeRequest): FakeResponse {
    const apiKey = bearer(request) ?? '';
    const key = this.keys.get(apiKey);
    if (!key) return error(401, 'authentication_malformed', 'Authentication header included, but incorrectly formatted.');
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /transactions') return this.listTransactions(request, apiKey);
    if (route === 'POST /notification-settings') {
      if (!key.notifications) return error(403, 'forbidden', 'You do not have permission to perform this request: notification_setting.write');
      return this.createDestination(request);
    }
    const destination = /^DELETE \/notification-settings\/(ntfset_\w+)$/.exec(route);
    if (destination) {
      if (!key.notifications) return error(403, 'forbidden', 'You do not have permission to perform this request: notification_setting.write');
      return this.destinations.delete(destination[1]) ? { status: 204 } : error(404, 'not_found', 'Entity not found');
    }
    const discount = /^GET \/discounts\/(dsc_\w+)$/.exec(route);
    if (discount && this.discounts.has(discount[1])) return { status: 200, json: { data: { id: discount[1], code: this.discounts.get(discount[1]), status: 'active' } } };
    return error(404, 'not_found', 'Entity not found');
  }

  private createDestination(request: FakeRequest): FakeResponse {
    const body = request.json ?? {};
    if (body.type !== 'url' || typeof body.destination !== 'string' || typeof body.description !== 'string' || !Array.isArray(body.subscribed_events)) {
      return error(400, 'bad_request', 'description, type, destination and subscribed_events are required');
    }
    const id = paddleId('ntfset');
    const destination: FakeDestination = {
      id,
      description: body.description,
      type: body.type,
      destination: body.destination,
      subscribed_events: body.subscribed_events,
      api_version: body.api_version ?? 1,
      traffic_source: body.traffic_source ?? 'platform',
      endpoint_secret_key: `pdl_ntfset_${id.slice(7)}_${randomBytes(24).toString('base64url')}`,
    };
    this.destinations.set(id, destination);
    return { status: 201, json: { data: { ...destination, active: true, include_sensitive_fields: false, subscribed_events: destination.subscribed_events.map((name) => ({ name })) } } };
  }

  private listTransactions(request: FakeRequest, apiKey: string): FakeResponse {
    const { query } = request;
    const status = query.get('status');
    const since = query.get('created_at[GTE]');
    const matching = (this.transactions.get(apiKey) ?? [])
      .filter((transaction) => !status || status.split(',').includes(transaction.status))
      .filter((transaction) => !since || Date.parse(transaction.created_at) >= Date.parse(since))
      .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
    const after = query.get('after');
    const start = after ? matching.findIndex((transaction) => transaction.id === after) + 1 : 0;
    const size = Math.min(Number(query.get('per_page') ?? 30), this.pageSize);
    const page = matching.slice(start, start + size);
    const hasMore = start + size < matching.length;
    const next = new URL(`${this.url}/transactions`);
    for (const [name, value] of query) if (name !== 'after') next.searchParams.set(name, value);
    if (page.length) next.searchParams.set('after', page.at(-1)!.id);
    return { status: 200, json: { data: page, meta: { request_id: 'req', pagination: { per_page: size, next: next.href, has_more: hasMore, estimated_total: matching.length } } } };
  }
}
