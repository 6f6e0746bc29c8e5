import type { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isHttpUrl } from './urls.js';
import { isTimeZone, parseInstant } from './time.js';
import { isCurrency } from './money.js';

/** What a person is told when a value fails one of these formats. */
export const FORMAT_MESSAGES: Record<string, string> = {
  'http-url': 'must be an absolute http(s) URL with a host, and no spaces or credentials',
  'date-time': 'must be an ISO 8601 date and time, e.g. 2026-11-01T00:00:00Z',
  date: 'must be a date, YYYY-MM-DD',
  currency: 'must be an ISO 4217 currency code, e.g. USD',
  'time-zone': 'must be an IANA time zone name, e.g. Europe/Bucharest or UTC',
};

const dateTime = fullFormats['date-time'] as { validate: (value: string) => boolean };

/**
 * ajv-formats plus the service's own: `http-url` (src/urls.ts, the one URL rule), `currency` (ISO 4217), and a `date-time` that accepts
 * only instants the database can store (parseInstant), so a valid-looking leap second is a 400, not a 500.
 */
export function addSchemaFormats<T extends Ajv>(ajv: T): T {
  addFormats.default(ajv);
  ajv.addFormat('http-url', { type: 'string', validate: isHttpUrl });
  ajv.addFormat('currency', { type: 'string', validate: isCurrency });
  ajv.addFormat('time-zone', { type: 'string', validate: isTimeZone });
  ajv.addFormat('date-time', { type: 'string', validate: (value: string) => dateTime.validate(value) && parseInstant(value) !== null });
  return ajv;
}
