import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { randomUUID } from 'node:crypto';

const stripe = new Stripe('sk_test_signing_only');

/** A Stripe-Signature header for `payload`, as Stripe computes it (`t=...,v1=HMAC(t.payload)`). */
export function signStripe(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/**
 * Standard Webhooks headers for a Polar delivery. Polar hands merchants a secret and signs with its raw
 * bytes, so the signing key is the secret's bytes in base64 (what validateEvent derives too).
 */
export function signPolar(payload: string, secret: string, options: { id?: string; timestamp?: Date } = {}): Record<string, string> {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? new Date();
  const webhook = new Webhook(Buffer.from(secret, 'utf8').toString('base64'));
  return {
    'webhook-id': id,
    'webhook-timestamp': Math.floor(timestamp.getTime() / 1000).toString(),
    'webhook-signature': webhook.sign(id, timestamp, payload),
  };
}
