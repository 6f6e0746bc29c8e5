import Stripe from 'stripe';
import type { ApiCredentials, OrderFacts } from '../provider.js';
import { idOf, uniqueIds } from '../fields.js';
import type { StripeHost } from './coupons.js';

/**
 * Since the basil API version an invoice no longer names its payment intent or charge, and a webhook includes
 * its `payments` only when the endpoint asks for them. A refund or dispute of a renewal names only those, so
 * the invoice's payments are listed once, with the source's key (or the platform's, acting as the account).
 */
export async function resolveInvoicePayments(host: StripeHost, order: OrderFacts, credentials: ApiCredentials): Promise<string[]> {
  if (!order.paymentLookup) return [];
  const stripe = new Stripe(credentials.apiKey, { ...host, maxNetworkRetries: 1, timeout: 10_000 });
  const payments = await stripe.invoicePayments.list(
    { invoice: order.paymentLookup, limit: 10 },
    credentials.connectedAccount ? { stripeAccount: credentials.connectedAccount } : undefined,
  );
  return uniqueIds(payments.data.flatMap(({ payment }) => [idOf(payment.payment_intent), idOf(payment.charge)]));
}
