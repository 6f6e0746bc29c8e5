/** Earliest and latest instants accepted: PostgreSQL and JavaScript both represent every one in between. */
const EARLIEST = Date.UTC(1000, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The one parser of ISO 8601 instants from outside (query strings, bodies): null for anything that is not a
 * representable moment, such as a leap second (`23:59:60`), which the date-time format allows but no clock has.
 */
export function parseInstant(value: string): Date | null {
  const time = Date.parse(value);
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST) return null;
  return new Date(time);
}
