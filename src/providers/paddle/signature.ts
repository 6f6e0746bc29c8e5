import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidSignature, type ProviderEvent, type WebhookDelivery } from '../provider.js';
import { isoTime, jsonObject, object, text } from '../fields.js';

/** A signature this far from now is a replay or a clock far off (Paddle's SDKs allow 5 s; Stripe, 300 s). */
export const TOLERANCE_SECONDS = 300;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;
/** A header naming more signatures than any rotation needs is cut there, so it cannot make a delivery costly. */
const MAX_SIGNATURES = 8;

/**
 * `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=<hex>...]`: each `h1` is an HMAC-SHA256 of `<ts>:<raw body>` under the
 * destination's secret; any one that matches will do (several appear while a secret rotates). Written here
 * because Paddle's Node SDK keeps only the last `h1` and allows 5 s.
 */
export function verifyPaddleDelivery(delivery: WebhookDelivery, secret: string, now = Date.now()): ProviderEvent {
  const header = delivery.headers['paddle-signature'];
  if (typeof header !== 'string') throw new InvalidSignature('missing Paddle-Signature header');
  const { timestamp, signatures } = parseHeader(header);
  if (timestamp === null) throw new InvalidSignature('Paddle-Signature has no ts');
  if (signatures.length === 0) throw new InvalidSignature('Paddle-Signature has no h1');
  if (Math.abs(now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) throw new InvalidSignature(`ts is more than ${TOLERANCE_SECONDS} s from now`);
  const expected = createHmac('sha256', secret).update(`${timestamp}:`).update(delivery.rawBody).digest();
  // Every h1 is compared, so the time taken does not tell which one matched.
  const matched = signatures.reduce((found, signature) => timingSafeEqual(expected, signature) || found, false);
  if (!matched) throw new InvalidSignature('no h1 matches the body');
  return eventOf(delivery.rawBody);
}

function parseHeader(header: string): { timestamp: string | null; signatures: Buffer[] } {
  let timestamp: string | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(';')) {
    const [name, value = ''] = part.split('=', 2).map((piece) => piece.trim());
    if (name === 'ts' && /^\d{1,12}$/.test(value)) timestamp = value;
    else if (name === 'h1' && HEX_SHA256.test(value) && signatures.length < MAX_SIGNATURES) signatures.push(Buffer.from(value, 'hex'));
  }
  return { timestamp, signatures };
}

function eventOf(rawBody: Buffer): ProviderEvent {
  const body = jsonObject(rawBody);
  if (!body) throw new InvalidSignature('signed payload is not JSON');
  const id = text(body.event_id);
  const type = text(body.event_type);
  if (!id || !type) throw new InvalidSignature('signed payload is not a Paddle event');
  return { id, type, account: null, createdAt: isoTime(body.occurred_at) ?? new Date(), body };
}
