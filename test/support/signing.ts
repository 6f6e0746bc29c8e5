import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { createHmac, randomUUID } from 'node:crypto';

const stripe = new Stripe('sk_test_signing_only');

/** A Stripe-Signature header for `payload`, as Stripe computes it (`t=...,v1=HMAC(t.payload)`). */
export function signStripe(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/**
 * Standard Webhooks headers for a Polar delivery, for either secret form validateEvent accepts: Polar's own
 * (`polar_whs_...`, whose UTF-8 bytes are the key) or the Standard Webhooks form (`whsec_` + base64 key).
 */
export function signPolar(payload: string, secret: string, options: { id?: string; timestamp?: Date } = {}): Record<string, string> {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? new Date();
  const webhook = secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' });
  return {
    'webhook-id': id,
    'webhook-timestamp': Math.floor(timestamp.getTime() / 1000).toString(),
    'webhook-signature': webhook.sign(id, timestamp, payload),
  };
}

/** Lemon Squeezy's `X-Signature`: the hex HMAC-SHA256 of the body under the webhook's secret. */
export function signLemonSqueezy(payload: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/**
 * Paddle's `Paddle-Signature: ts=<unix>;h1=<hex>`, the HMAC-SHA256 of `<ts>:<body>`; `around` adds other `h1`
 * values before and after the valid one, as a rotating secret does.
 */
export function signPaddle(payload: string | Buffer, secret: string, options: { timestamp?: number; before?: string[]; after?: string[] } = {}): string {
  const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
  const h1 = createHmac('sha256', secret).update(`${ts}:`).update(payload).digest('hex');
  return [`ts=${ts}`, ...(options.before ?? []).map((value) => `h1=${value}`), `h1=${h1}`, ...(options.after ?? []).map((value) => `h1=${value}`)].join(';');
}
