/**
 * Loose readers for provider payloads: real payloads carry undocumented extra keys and change shape across API
 * versions, so adapters read only what they use and check its type, never trusting a whole schema.
 */
export type Json = Record<string, unknown>;

export function object(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** The object a verified delivery's raw body holds, or undefined when the bytes are not a JSON object's text. */
export function jsonObject(rawBody: Buffer): Json | undefined {
  try {
    return object(JSON.parse(rawBody.toString('utf8')));
  } catch {
    return undefined;
  }
}

export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

/** An id sent as text or as a whole number (Lemon Squeezy's `"customer_id": 1628498`), as text. */
export function idText(value: unknown): string | null {
  const number = integer(value);
  return number !== null && number >= 0 ? String(number) : text(value);
}

/** An id that may be expanded into an object (`"cus_1"` or `{ "id": "cus_1", ... }`). */
export function idOf(value: unknown): string | null {
  return text(value) ?? text(object(value).id);
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function present<T>(values: (T | null | undefined)[]): T[] {
  return values.filter((value): value is T => value !== null && value !== undefined);
}

/** Provider ids a later event may name, each once, in the order given. */
export function uniqueIds(values: (string | null | undefined)[]): string[] {
  return [...new Set(present(values))];
}

/** ISO 4217 in upper case: both providers send lower case (`usd`). */
export function currency(value: unknown): string {
  return (text(value) ?? '').toUpperCase();
}

/** A time given as Unix seconds (Stripe's `created`). */
export function unixTime(value: unknown): Date | null {
  const seconds = integer(value);
  return seconds === null ? null : new Date(seconds * 1000);
}

/** A time given as an ISO 8601 string (Polar's `created_at`); null when absent or not a time. */
export function isoTime(value: unknown): Date | null {
  const time = Date.parse(text(value) ?? '');
  return Number.isNaN(time) ? null : new Date(time);
}
