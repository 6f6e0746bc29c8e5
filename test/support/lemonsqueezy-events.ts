import type { Api, Reply } from './http.js';
import { signLemonSqueezy } from './signing.js';
import { fixture } from './stripe-events.js';
import { lemonId } from './fakes/lemonsqueezy.js';

/** The secret of a webhook the merchant made in Lemon Squeezy and pasted (6 to 40 characters). */
export const LEMON_WEBHOOK_SECRET = 'lemon_test_secret_for_synaptyx';

export interface LemonEventOptions {
  /** The object's id (default: a new one). */
  id?: string;
  /** `meta.custom_data.synaptyx_clickid`; null: custom data without it. */
  clickId?: string | null;
  /** Attributes set on top of the fixture's. */
  attributes?: Record<string, unknown>;
  testMode?: boolean;
}

/**
 * A Lemon Squeezy event from a fixture (`lemonsqueezy.<name>.json`) with a fresh object id, the object's times now
 * and live mode, unless the options say otherwise. Everything else stays as Lemon Squeezy sent it.
 */
export function lemonEvent(name: string, options: LemonEventOptions = {}): Record<string, any> {
  const event = fixture(`lemonsqueezy.${name}.json`);
  const now = new Date().toISOString().replace('Z', '000Z');
  const testMode = options.testMode ?? false;
  const { synaptyx_clickid: _placeholder, ...custom } = event.meta.custom_data;
  return {
    ...event,
    meta: { ...event.meta, test_mode: testMode, custom_data: options.clickId ? { ...custom, synaptyx_clickid: options.clickId } : custom },
    data: {
      ...event.data,
      id: options.id ?? lemonId(),
      attributes: { ...event.data.attributes, created_at: now, updated_at: now, test_mode: testMode, customer_id: Number(lemonId()), ...options.attributes },
    },
  };
}

/** Delivers an event as Lemon Squeezy does: the exact bytes, `X-Signature` and `X-Event-Name`. */
export function deliverLemon(api: Api, sourceId: string, event: Record<string, any>, options: { secret?: string; body?: string; signature?: string } = {}): Promise<Reply> {
  const payload = JSON.stringify(event);
  return api.post(`/webhooks/lemonsqueezy/${sourceId}`, undefined, {
    raw: options.body ?? payload,
    headers: {
      'content-type': 'application/json',
      'x-event-name': event.meta.event_name,
      'x-signature': options.signature ?? signLemonSqueezy(payload, options.secret ?? LEMON_WEBHOOK_SECRET),
    },
  });
}

/** A merchant-made webhook's source, for a key the fake Lemon Squeezy knows. */
export async function lemonSource(api: Api, key: string, apiKey: string, fields: Record<string, unknown> = {}) {
  const reply = await api.post('/api/sources', { provider: 'lemonsqueezy', mode: 'api_key', api_key: apiKey, webhook_secret: LEMON_WEBHOOK_SECRET, ...fields }, { key });
  if (reply.status !== 201) throw new Error(`creating a source failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}
