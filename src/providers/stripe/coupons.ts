import Stripe from 'stripe';
import type { ApiCredentials, OrderFacts } from '../provider.js';
import { object, present, text } from '../fields.js';

export interface StripeHost {
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

/** `new Stripe(key, { host, port, protocol })` points the SDK at the configured API base (a fake server in tests). */
export function stripeHost(apiBase: string): StripeHost {
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}

/**
 * Webhooks carry promotion codes as ids only: the human code comes from the session with its promotion codes
 * expanded, read with the source's key, or the platform's key acting as the connected account. A discount
 * made from a coupon alone has no code a campaign could list, so it yields nothing.
 */
export async function resolvePromotionCodes(host: StripeHost, order: OrderFacts, credentials: ApiCredentials): Promise<string[]> {
  if (!order.couponLookup) return [];
  const stripe = new Stripe(credentials.apiKey, { ...host, maxNetworkRetries: 1, timeout: 10_000 });
  const session = await stripe.checkout.sessions.retrieve(
    order.couponLookup,
    { expand: ['discounts.promotion_code'] },
    credentials.connectedAccount ? { stripeAccount: credentials.connectedAccount } : undefined,
  );
  return present((session.discounts ?? []).map((discount) => text(object(discount.promotion_code).code)));
}
