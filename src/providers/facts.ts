import { isCurrency, isMinorUnits } from '../money.js';
import type { NormalizedEvent } from './provider.js';

/**
 * A signed payload with a value no retry can fix: a negative or astronomically large amount, an id with a NUL or
 * a lone surrogate, an unknown currency. The delivery is answered 200 and logged `invalid_payload` naming the
 * field, so the provider stops retrying an event that would fail forever.
 */
export class InvalidPayload extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field} ${rule}`);
  }
}

const MAX_TEXT = 500;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text the database can store and a person can read: well-formed UTF-16, no NUL or other control characters. */
export function isCleanText(value: string): boolean {
  if (value.length > MAX_TEXT) return false;
  if (!SUSPECT.test(value)) return true; // nearly every id: nothing below U+0020, no surrogate at all
  return !/[\u0000-\u001f\u007f]/.test(value) && !LONE_SURROGATE.test(value);
}

const SUSPECT = /[\u0000-\u001f\u007f\uD800-\uDFFF]/;

/** Checks every value an adapter read into the neutral facts before anything is stored; throws InvalidPayload. */
export function checkFacts(event: NormalizedEvent): NormalizedEvent {
  if (event.kind === 'order') checkValues('order', event.order);
  if (event.kind === 'refund') checkValues('refund', event.refund);
  if (event.kind === 'refund_total') checkValues('refund', event.refundTotal);
  if (event.kind === 'dispute') checkValues('dispute', event.dispute);
  if (event.kind === 'subscription') checkValues('subscription', event.subscription);
  if (event.kind === 'account_deauthorized') checkValues('account', { accountId: event.accountId });
  return event;
}

const AMOUNTS = new Set(['amount', 'refundedAmount']);

function checkValues(kind: string, facts: object): void {
  for (const [name, value] of Object.entries(facts)) {
    const field = `${kind}.${name}`;
    if (AMOUNTS.has(name)) {
      if (value !== null && !isMinorUnits(value)) throw new InvalidPayload(field, 'must be a non-negative whole number of minor units');
    } else if (name === 'currency') {
      if (!isCurrency(value)) throw new InvalidPayload(field, 'must be an ISO 4217 currency code');
    } else if (typeof value === 'string') {
      if (!isCleanText(value)) throw new InvalidPayload(field, 'must be text of at most 500 characters without NUL, control characters or lone surrogates');
    } else if (Array.isArray(value)) {
      if (value.some((item) => typeof item === 'string' && !isCleanText(item))) {
        throw new InvalidPayload(field, 'must list text without NUL, control characters or lone surrogates');
      }
    } else if (value instanceof Date && Number.isNaN(value.getTime())) {
      throw new InvalidPayload(field, 'must be a valid time');
    }
  }
}
