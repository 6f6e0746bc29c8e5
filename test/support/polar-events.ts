import { randomUUID } from 'node:crypto';
import type { Api, Reply } from './http.js';
import { signPolar } from './signing.js';
import { fixture } from './stripe-events.js';
import type { FakeEndpoint } from './fakes/polar.js';

/** A paid Polar order (the schema-built fixture) with fresh ids and the given fields. */
export function polarOrder(fields: Record<string, unknown> = {}): Record<string, any> {
  const { data } = fixture('polar.order.paid.json');
  return { ...data, id: randomUUID(), customer_id: randomUUID(), created_at: new Date().toISOString(), ...fields };
}

export function polarEvent(type: string, order: Record<string, unknown>) {
  return { type, timestamp: new Date().toISOString(), api_version: '2026-10', data: order };
}

/** Delivers an event as Polar does to an endpoint it holds: signed with that endpoint's secret, to its URL's path. */
export function deliverToEndpoint(api: Api, endpoint: Pick<FakeEndpoint, 'url' | 'secret'>, event: unknown): Promise<Reply> {
  const payload = JSON.stringify(event);
  return api.post(new URL(endpoint.url).pathname, undefined, {
    raw: payload,
    headers: { 'content-type': 'application/json', ...signPolar(payload, endpoint.secret) },
  });
}
