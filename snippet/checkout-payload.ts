/**
 * A Stripe Checkout Session or Polar checkout create payload with the click id in its metadata, where the
 * webhook finds it. The caller's object is never changed: only the objects on the path to the id are copied.
 */
export type Metadata = Record<string, unknown>;
export interface CheckoutPayload {
  mode?: unknown;
  metadata?: Metadata;
  subscription_data?: { metadata?: Metadata };
}

export function withClickId<T>(payload: T, id: string): T {
  if (!payload || typeof payload != 'object' || Array.isArray(payload)) return payload;
  const given = payload as CheckoutPayload;
  const copy: CheckoutPayload = { ...given, metadata: { ...given.metadata, synaptyx_clickid: id } };
  // A subscription's own metadata is what its renewals' invoices carry, so renewals stay attributed.
  if (given.mode == 'subscription') {
    const subscription = given.subscription_data;
    copy.subscription_data = { ...subscription, metadata: { ...subscription?.metadata, synaptyx_clickid: id } };
  }
  return copy as T;
}
