import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidSignature, type ProviderEvent, type WebhookDelivery } from '../provider.js';
import { idText, isoTime, jsonObject, object, text, type Json } from '../fields.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Lemon Squeezy signs the raw body alone: `X-Signature` is the hex HMAC-SHA256 of it under the webhook's secret.
 * There is no timestamp, so nothing here can refuse a replay: de-duplication (the event id below) stops them.
 */
export function verifyLemonSqueezyDelivery(delivery: WebhookDelivery, secret: string): ProviderEvent {
  const header = delivery.headers['x-signature'];
  if (typeof header !== 'string' || !HEX_SHA256.test(header.trim())) throw new InvalidSignature('missing or malformed X-Signature header');
  const expected = createHmac('sha256', secret).update(delivery.rawBody).digest();
  if (!timingSafeEqual(expected, Buffer.from(header.trim(), 'hex'))) throw new InvalidSignature('X-Signature does not match the body');
  return eventOf(delivery.rawBody);
}

function eventOf(rawBody: Buffer): ProviderEvent {
  const body = jsonObject(rawBody);
  if (!body) throw new InvalidSignature('signed payload is not JSON');
  const meta = object(body.meta);
  const data = object(body.data);
  const attributes = object(data.attributes);
  const type = text(meta.event_name);
  const objectId = idText(data.id);
  if (!type || !objectId) throw new InvalidSignature('signed payload is not a Lemon Squeezy event');
  return {
    id: eventId(type, objectId, attributes, rawBody),
    type,
    account: null,
    createdAt: isoTime(attributes.updated_at) ?? isoTime(attributes.created_at) ?? new Date(),
    body,
    testMode: meta.test_mode === true,
  };
}

/**
 * Lemon Squeezy sends no event id: an event is its name, its object and the object's `updated_at`, so a retry is a
 * duplicate and a later change of the same object is not. A refund also names its cumulative amount: two refunds
 * of one order stay two events even if the object's time did not move between them.
 */
export function eventId(type: string, objectId: string, attributes: Json, rawBody: Buffer): string {
  const version = text(attributes.updated_at) ?? text(attributes.created_at) ?? createHash('sha256').update(rawBody).digest('hex');
  const refunded = type.endsWith('_refunded') ? `:${idText(attributes.refunded_amount) ?? ''}` : '';
  return `${type}:${objectId}:${version}${refunded}`;
}
