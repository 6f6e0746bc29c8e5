import Stripe from 'stripe';
import type { ApiCredentials, ProviderEvent } from '../provider.js';
import type { StripeHost } from './coupons.js';
import { stripeCall } from './errors.js';

/**
 * Paid Checkout Sessions created since `since`, each as the `checkout.session.completed` that would have
 * reported it. The event id is derived from the session, so a session reconciled twice is one event.
 */
export async function* listPaidSessions(host: StripeHost, credentials: ApiCredentials, since: Date): AsyncIterable<ProviderEvent> {
  const stripe = new Stripe(credentials.apiKey, { ...host, maxNetworkRetries: 2, timeout: 20_000 });
  const options = credentials.connectedAccount ? { stripeAccount: credentials.connectedAccount } : undefined;
  const sessions = stripe.checkout.sessions.list({ created: { gte: Math.floor(since.getTime() / 1000) }, status: 'complete', limit: 100 }, options);
  const iterator = sessions[Symbol.asyncIterator]();
  while (true) {
    const next = await stripeCall('listing Checkout Sessions', () => iterator.next());
    if (next.done) return;
    const session = next.value;
    if (session.payment_status !== 'paid') continue;
    yield {
      id: `reconcile:${session.id}`,
      type: 'checkout.session.completed',
      account: credentials.connectedAccount ?? null,
      createdAt: new Date(session.created * 1000),
      body: { id: `reconcile:${session.id}`, object: 'event', type: 'checkout.session.completed', data: { object: session } },
    };
  }
}
