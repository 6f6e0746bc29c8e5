/** Earliest and latest instants accepted: PostgreSQL and JavaScript both represent every one in between. */
const EARLIEST = Date.UTC(1000, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;

/** True for an ISO 8601 instant with its offset, on a real calendar day, that parseInstant accepts. */
export function isInstant(value: string): boolean {
  return INSTANT.test(value) && isLocalDate(value.slice(0, 10)) && parseInstant(value) !== null;
}

/**
 * The one parser of ISO 8601 instants from outside (query strings, bodies): null for anything that is not a
 * representable moment, such as a leap second (`23:59:60`), which the date-time format allows but no clock has.
 */
export function parseInstant(value: string): Date | null {
  const time = Date.parse(value);
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST) return null;
  return new Date(time);
}

/** True for a time zone name the runtime knows (IANA names and `UTC`). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time of an instant in a zone. */
function wallClock(instant: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** The zone's offset from UTC at an instant, in milliseconds (Bucharest in summer: +3 h). */
function offsetAt(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - (instant - (instant % 1000));
}

/** A calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

/**
 * The instant a local calendar day begins in a zone, DST included. Where a zone skips midnight (a DST change at
 * 00:00), the day begins at the first instant that exists.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, day);
  let instant = wall - offsetAt(wall, timeZone);
  instant = wall - offsetAt(instant, timeZone);
  // Skipped midnight: the guess lands on the day before; the day begins at the change, on a quarter hour.
  while (localDateOf(new Date(instant), timeZone) < date) instant += 15 * 60_000 - (instant % (15 * 60_000));
  return new Date(instant);
}

/** The local calendar date of an instant in a zone. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(instant.getTime(), timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A calendar date moved by whole days (calendar arithmetic, no time zone involved). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** A calendar date moved by whole months, clamped to the first of the month. */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const [year, month] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1 + months, 1)).toISOString().slice(0, 10);
}

/** Monday of the ISO week a date falls in. */
export function startOfWeek(date: LocalDate): LocalDate {
  const [year, month, day] = date.split('-').map(Number);
  const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7; // Monday 0
  return addDays(date, -weekday);
}

/** True for a real calendar date `YYYY-MM-DD`. */
export function isLocalDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1000 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
