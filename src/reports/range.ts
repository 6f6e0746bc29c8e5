import { validationFailed } from '../errors.js';
import { addDays, addMonths, isInstant, isLocalDate, localDateOf, parseInstant, startOfLocalDay, startOfWeek, type LocalDate } from '../time.js';

export const INTERVALS = ['24h', '7d', '30d', '90d', 'mtd', 'qtd', 'ytd', 'all'] as const;
export type Interval = (typeof INTERVALS)[number];
export const TIME_GROUPS = ['day', 'week', 'month'] as const;
export type TimeGroup = (typeof TIME_GROUPS)[number];

/** A report's time range: instants, start inclusive, end exclusive, with how to name it. */
export interface ReportRange {
  start: Date;
  end: Date;
  /** As the answer names the range: local dates (both inclusive) for whole days, else ISO instants. */
  from: string;
  to: string;
  /** The local dates the range touches, first and last (for spend, which is kept per day). */
  firstDay: LocalDate;
  lastDay: LocalDate;
}

/** One time bucket of a day / week / month report, clipped to the range. */
export interface TimeBucket {
  key: string;
  label: string;
  start: Date;
  end: Date;
  firstDay: LocalDate;
}

export const MAX_BUCKETS = 1_000;

const invalid = (field: string, message: string) => validationFailed(`${field} ${message}.`, [{ in: 'query', pointer: `/${field}`, message }]);

/**
 * The range a report covers. `from` and `to` are local dates (whole days, both included) or ISO instants (`to`
 * excluded); without them, `interval`: the last 24 hours, the last N whole local days with today, the month,
 * quarter or year to date, or everything since the workspace began (default: 30d).
 */
export function resolveRange(
  query: { from?: string; to?: string; interval?: Interval },
  timeZone: string,
  context: { now: Date; since: Date },
): ReportRange {
  if (query.interval && (query.from || query.to)) throw invalid('interval', 'cannot be given with from or to');
  if (query.from || query.to) return explicitRange(query.from, query.to, timeZone, context.now);
  const interval = query.interval ?? '30d';
  const today = localDateOf(context.now, timeZone);
  if (interval === '24h') {
    const start = new Date(context.now.getTime() - 86_400_000);
    return instants(start, context.now, timeZone);
  }
  const [year, month] = today.split('-').map(Number);
  const firstDay: LocalDate = {
    '7d': addDays(today, -6),
    '30d': addDays(today, -29),
    '90d': addDays(today, -89),
    mtd: `${today.slice(0, 7)}-01`,
    qtd: `${year}-${String(Math.floor((month - 1) / 3) * 3 + 1).padStart(2, '0')}-01`,
    ytd: `${year}-01-01`,
    all: minDate(localDateOf(context.since, timeZone), today),
  }[interval];
  return days(firstDay, today, timeZone);
}

function explicitRange(from: string | undefined, to: string | undefined, timeZone: string, now: Date): ReportRange {
  const today = localDateOf(now, timeZone);
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (value && !isLocalDate(value) && !isInstant(value)) throw invalid(field, 'must be a date (YYYY-MM-DD) or an ISO 8601 instant');
  }
  if (from && isLocalDate(from) && (!to || isLocalDate(to))) {
    const last = to ?? today;
    if (from > last) throw invalid('from', 'must not be after to');
    return days(from, last, timeZone);
  }
  const start = from ? (isLocalDate(from) ? startOfLocalDay(from, timeZone) : parseInstant(from)) : null;
  const end = to ? (isLocalDate(to) ? startOfLocalDay(addDays(to, 1), timeZone) : parseInstant(to)) : now;
  if (!start) throw invalid('from', 'is required when to is given');
  if (start >= end!) throw invalid('from', 'must be before to');
  return instants(start, end!, timeZone);
}

function days(firstDay: LocalDate, lastDay: LocalDate, timeZone: string): ReportRange {
  return {
    start: startOfLocalDay(firstDay, timeZone),
    end: startOfLocalDay(addDays(lastDay, 1), timeZone),
    from: firstDay,
    to: lastDay,
    firstDay,
    lastDay,
  };
}

function instants(start: Date, end: Date, timeZone: string): ReportRange {
  return {
    start,
    end,
    from: start.toISOString(),
    to: end.toISOString(),
    firstDay: localDateOf(start, timeZone),
    lastDay: localDateOf(new Date(end.getTime() - 1), timeZone),
  };
}

const minDate = (a: LocalDate, b: LocalDate) => (a < b ? a : b);

/**
 * The day, week (ISO, from Monday) or month buckets of a range in its time zone, DST included, each clipped to the
 * range; every one is listed, so empty ones show as zeros. Over 1,000 is a 400 that suggests a coarser grouping.
 */
export function timeBuckets(range: ReportRange, group: TimeGroup, timeZone: string): TimeBucket[] {
  const firstKey = bucketStart(range.firstDay, group);
  const count = bucketCount(firstKey, range.lastDay, group);
  if (count > MAX_BUCKETS) {
    const coarser = group === 'day' ? 'week or month' : 'month';
    throw invalid('group_by', `would give ${count} ${group}s, more than ${MAX_BUCKETS}: choose a shorter range or group_by=${coarser}`);
  }
  const buckets: TimeBucket[] = [];
  for (let day = firstKey; day <= range.lastDay; day = nextBucket(day, group)) {
    const start = startOfLocalDay(day, timeZone);
    const end = startOfLocalDay(nextBucket(day, group), timeZone);
    buckets.push({
      key: group === 'month' ? day.slice(0, 7) : day,
      label: group === 'day' ? day : group === 'week' ? `Week of ${day}` : day.slice(0, 7),
      start: start < range.start ? range.start : start,
      end: end > range.end ? range.end : end,
      firstDay: day < range.firstDay ? range.firstDay : day,
    });
  }
  return buckets;
}

/** The bucket a local date falls in, by its first day. */
export function bucketStart(day: LocalDate, group: TimeGroup): LocalDate {
  return group === 'day' ? day : group === 'week' ? startOfWeek(day) : `${day.slice(0, 7)}-01`;
}

function nextBucket(day: LocalDate, group: TimeGroup): LocalDate {
  return group === 'day' ? addDays(day, 1) : group === 'week' ? addDays(day, 7) : addMonths(day, 1);
}

function bucketCount(first: LocalDate, last: LocalDate, group: TimeGroup): number {
  const days = Math.round((Date.parse(last) - Date.parse(first)) / 86_400_000) + 1;
  if (group === 'day') return days;
  if (group === 'week') return Math.ceil(days / 7);
  const [fy, fm] = first.split('-').map(Number);
  const [ly, lm] = last.split('-').map(Number);
  return (ly - fy) * 12 + (lm - fm) + 1;
}
