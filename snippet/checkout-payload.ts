/**
 * A checkout create payload with the click id where the provider carries it to the webhook. The caller's object
 * is never changed: only the objects on the path to the id are copied. Which payload this build fills is fixed
 * when the snippet is built for a source's provider (SYX_PAYLOAD, src/snippet/attach-snippet.ts).
 */
declare const SYX_PAYLOAD: 'metadata' | 'paddle' | 'lemonsqueezy';

type Payload = Record<string, unknown>;

/** `given` with `value` at `path`; nothing (null, undefined) on the way becomes an empty object. */
function set(given: Payload, path: string[], value: string): Payload {
  const [key, ...rest] = path;
  return { ...given, [key]: rest.length ? set(Object(given[key]), rest, value) : value };
}

export function withClickId<T>(payload: T, id: string): T {
  if (!payload || typeof payload != 'object' || Array.isArray(payload)) return payload;
  const given = payload as Payload;
  // Paddle.js `Paddle.Checkout.open({ items, customData })`: Paddle copies it to the transaction and its subscription.
  if (SYX_PAYLOAD == 'paddle') return set(given, ['customData', 'synaptyx_clickid'], id) as T;
  // Lemon Squeezy `POST /v1/checkouts`: the JSON:API document, or its attributes.
  if (SYX_PAYLOAD == 'lemonsqueezy') {
    return set(given, [...(given.data ? ['data', 'attributes'] : []), 'checkout_data', 'custom', 'synaptyx_clickid'], id) as T;
  }
  // Stripe Checkout Session or Polar checkout. A Stripe subscription's own metadata is what its renewals' invoices carry.
  const copy = set(given, ['metadata', 'synaptyx_clickid'], id);
  return (given.mode == 'subscription' ? set(copy, ['subscription_data', 'metadata', 'synaptyx_clickid'], id) : copy) as T;
}
