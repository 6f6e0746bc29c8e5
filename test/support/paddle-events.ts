import { randomBytes } from 'node:crypto';
import type { Api, Reply } from './http.js';
import { signPaddle } from './signing.js';
import { fixture } from './stripe-events.js';

/** The secret of a notification destination the merchant made in Paddle and pasted. */
export const PADDLE_WEBHOOK_SECRET = 'pdl_ntfset_01hsyntaptyxtestdestination00_synaptyxTestSecretValue0123';

export const paddleId = (prefix: string) => `${prefix}_01${randomBytes(12).toString('hex').slice(0, 24)}`;

/**
 * A Paddle notification from a fixture (`paddle.<name>.json`) with fresh event and notification ids, occurred now,
 * and `data` fields set on top of the fixture's.
 */
export function paddleEvent(name: string, data: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): Record<string, any> {
  const event = fixture(`paddle.${name}.json`);
  return { ...event, event_id: paddleId('evt'), notification_id: paddleId('ntf'), occurred_at: new Date().toISOString(), ...envelope, data: { ...event.data, ...data } };
}

/** A completed transaction with a fresh id and customer; `clickId` null: custom data without one. */
export function paddleTransaction(options: { clickId?: string | null; fixture?: string; data?: Record<string, unknown> } = {}) {
  const base = fixture(`paddle.${options.fixture ?? 'transaction.completed'}.json`).data;
  return paddleEvent(options.fixture ?? 'transaction.completed', {
    id: paddleId('txn'),
    customer_id: paddleId('ctm'),
    custom_data: options.clickId ? { ...base.custom_data, synaptyx_clickid: options.clickId } : null,
    billed_at: new Date().toISOString(),
    ...options.data,
  });
}

/** An adjustment of `transactionId`: the refund fixture (pending approval) or the chargeback one. */
export function paddleAdjustment(transactionId: string, data: Record<string, unknown> = {}, name = 'adjustment.created.refund') {
  return paddleEvent(name, { id: paddleId('adj'), transaction_id: transactionId, ...data });
}

/** Delivers a notification as Paddle does: the exact bytes, signed with `ts` and `h1`. */
export function deliverPaddle(
  api: Api,
  sourceId: string,
  event: Record<string, any>,
  options: { secret?: string; body?: string; timestamp?: number; signature?: string } = {},
): Promise<Reply> {
  const payload = JSON.stringify(event);
  return api.post(`/webhooks/paddle/${sourceId}`, undefined, {
    raw: options.body ?? payload,
    headers: { 'content-type': 'application/json', 'paddle-signature': options.signature ?? signPaddle(payload, options.secret ?? PADDLE_WEBHOOK_SECRET, options) },
  });
}

export async function paddleSource(api: Api, key: string, fields: Record<string, unknown> = {}) {
  const reply = await api.post('/api/sources', { provider: 'paddle', mode: 'api_key', api_key: 'pdl_live_apikey_01synaptyxtest_0000wxyz', webhook_secret: PADDLE_WEBHOOK_SECRET, ...fields }, { key });
  if (reply.status !== 201) throw new Error(`creating a source failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}
