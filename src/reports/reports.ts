import type { Knex } from 'knex';
import { notFound } from '../errors.js';
import { PROVIDER_NAMES, type ProviderName } from '../providers/provider.js';
import type { LocalDate } from '../time.js';
import { bucketStart, resolveRange, timeBuckets, TIME_GROUPS, type Interval, type ReportRange, type TimeBucket, type TimeGroup } from './range.js';

export const GROUPS = ['total', 'campaign', 'link', 'source', 'day', 'week', 'month', 'country', 'referrer'] as const;
export type GroupBy = (typeof GROUPS)[number];
export const MODELS = ['last_click', 'first_click'] as const;
export type AttributionModel = (typeof MODELS)[number];

export interface ReportQuery {
  group_by: GroupBy;
  from?: string;
  to?: string;
  interval?: Interval;
  timezone?: string;
  model?: AttributionModel;
  campaign_id?: string;
  link_id?: string;
  source_id?: string;
  currency?: string;
}

/** Amounts per ISO 4217 currency, in minor units: never summed across currencies. */
export type Money = Record<string, number>;

export interface ReportRow {
  key: string | null;
  label: string;
  /** Human clicks in the range by click time; null where clicks cannot be split (by revenue source). */
  clicks: number | null;
  conversions: number;
  revenue: Money;
  refunded: Money;
  disputed: Money;
  net: Money;
  /** Only where the row is a campaign, a time bucket or the total, and no link or source filter splits it. */
  spend?: Money;
  roi?: Record<string, number>;
  conversion_rate: number | null;
  epc: Money;
  aov: Money;
}

export interface Report {
  from: string;
  to: string;
  timezone: string;
  model: AttributionModel;
  group_by: GroupBy;
  rows: ReportRow[];
  totals: ReportRow;
}

interface Tally {
  clicks: number;
  conversions: number;
  byCurrency: Map<string, { count: number; revenue: number; refunded: number; disputed: number; net: number; spend: number }>;
}

const isTimeGroup = (group: GroupBy): group is TimeGroup => (TIME_GROUPS as readonly string[]).includes(group);

/**
 * ROI from the report tables the writers keep current (click counts by slot and day, conversions by the time of
 * the sale, spend by day): a report's cost follows the number of buckets and keys, never the number of clicks.
 * The figures are the ones a plain GROUP BY over the raw clicks and conversions gives; bench:reports checks it.
 */
export class Reports {
  constructor(private readonly deps: { db: Knex }) {}

  async report(workspaceId: string, query: ReportQuery, now = new Date()): Promise<Report> {
    const workspace = await this.deps.db('workspaces').where({ id: workspaceId }).first('timezone', 'attribution_model', 'created_at');
    if (!workspace) throw notFound('workspace');
    const timeZone = query.timezone ?? workspace.timezone;
    const model: AttributionModel = query.model ?? workspace.attribution_model;
    const range = resolveRange(query, timeZone, { now, since: new Date(workspace.created_at) });
    const group = query.group_by;
    const buckets = isTimeGroup(group) ? timeBuckets(range, group, timeZone) : null;
    const scope = { workspaceId, range, query, model, buckets };

    const [clicks, totalClicks, conversions, spend] = await Promise.all([
      group === 'source' ? null : this.clicks(scope, group),
      group === 'source' ? this.clicks(scope, 'total') : null, // clicks come from no source: only the total has them
      this.conversions(scope, group),
      carriesSpend(group, query) ? this.spend(scope, group) : null,
    ]);

    const tallies = new Map<string | null, Tally>();
    const tally = (key: string | null) => {
      let entry = tallies.get(key);
      if (!entry) tallies.set(key, (entry = { clicks: 0, conversions: 0, byCurrency: new Map() }));
      return entry;
    };
    for (const bucket of buckets ?? []) tally(bucket.key); // every bucket is listed, empty or not
    for (const [key, count] of clicks ?? []) tally(key).clicks += count;
    for (const row of conversions) {
      const entry = tally(row.key);
      entry.conversions += row.count;
      add(entry, row.currency, { count: row.count, revenue: row.revenue, refunded: row.refunded, disputed: row.disputed, net: row.net });
    }
    for (const row of spend ?? []) add(tally(row.key), row.currency, { spend: row.amount });

    const labels = await this.labels(workspaceId, group, [...tallies.keys()], buckets);
    const withSpend = spend !== null;
    const rows = [...tallies].map(([key, entry]) => present(key, labels.get(key) ?? String(key), entry, { clicks: group !== 'source', spend: withSpend }));
    sortRows(rows, group);

    const total: Tally = { clicks: 0, conversions: 0, byCurrency: new Map() };
    for (const entry of tallies.values()) {
      total.clicks += entry.clicks;
      total.conversions += entry.conversions;
      for (const [currency, figures] of entry.byCurrency) add(total, currency, figures);
    }
    if (totalClicks) total.clicks = [...totalClicks.values()].reduce((sum, count) => sum + count, 0);
    return {
      from: range.from,
      to: range.to,
      timezone: timeZone,
      model,
      group_by: group,
      rows,
      totals: present(null, 'Total', total, { clicks: true, spend: withSpend }),
    };
  }

  /** Human clicks per key: whole UTC days from the daily counts, the edges of the range from the 15-minute slots. */
  private async clicks(scope: Scope, group: GroupBy): Promise<Map<string | null, number>> {
    const { db } = this.deps;
    const { workspaceId, range, query, buckets } = scope;
    const counts = new Map<string | null, number>();
    const filters = (builder: Knex.QueryBuilder) => {
      if (query.link_id) builder.where('link_id', query.link_id);
      if (query.campaign_id) builder.where('campaign_id', query.campaign_id);
      return builder;
    };
    if (buckets) {
      const table = query.link_id || query.campaign_id ? 'link_clicks' : 'workspace_clicks';
      const rows = await filters(
        db(table).select(db.raw('width_bucket(slot, ?::timestamptz[]) AS bucket', [buckets.map((b) => b.start.toISOString())])).sum({ clicks: 'clicks' })
          .where({ workspace_id: workspaceId }).where('slot', '>=', range.start).where('slot', '<', range.end).groupBy('bucket'),
      );
      for (const row of rows) counts.set(buckets[Number(row.bucket) - 1].key, Number(row.clicks));
      return counts;
    }
    const dimension = group === 'country' || group === 'referrer' ? group : null;
    const key = dimension ? 'value' : group === 'campaign' ? 'campaign_id' : group === 'link' ? 'link_id' : null;
    const [daily, slots] = dimension ? ['dimension_clicks_daily', 'dimension_clicks'] : ['link_clicks_daily', 'link_clicks'];
    const { days, edges } = splitByUtcDay(range);
    const parts: Knex.QueryBuilder[] = [];
    const part = (table: string) => {
      const builder = db(table).select(db.raw(key ? `${key} AS key` : 'NULL::text AS key'), 'clicks').where({ workspace_id: workspaceId });
      if (dimension) builder.where({ dimension });
      return filters(builder);
    };
    if (days) parts.push(part(daily).where('day', '>=', days.first).where('day', '<', days.end));
    for (const [start, end] of edges) parts.push(part(slots).where('slot', '>=', start).where('slot', '<', end));
    const rows: { key: string | null; clicks: string }[] = await db
      .select('key', db.raw('sum(clicks)::bigint AS clicks'))
      .from((parts.length === 1 ? parts[0] : parts[0].unionAll(parts.slice(1), true)).as('parts'))
      .groupBy('key');
    for (const row of rows) counts.set(row.key, Number(row.clicks));
    return counts;
  }

  /** Conversions whose sale falls in the range, credited under the model; money per currency, as the conversions list has it. */
  private async conversions(scope: Scope, group: GroupBy) {
    const { db } = this.deps;
    const { workspaceId, range, query, model, buckets } = scope;
    const first = model === 'first_click';
    const campaign = first ? 'first_campaign_id' : 'campaign_id';
    const link = first ? 'first_link_id' : 'link_id';
    const keys: Record<GroupBy, string> = {
      total: 'NULL::text',
      campaign,
      link,
      source: 'source_id',
      country: `coalesce(${first ? 'first_country' : 'country'}, '')`,
      referrer: `coalesce(${first ? 'first_referrer_host' : 'referrer_host'}, '')`,
      day: 'width_bucket(sold_at, ?::timestamptz[])',
      week: 'width_bucket(sold_at, ?::timestamptz[])',
      month: 'width_bucket(sold_at, ?::timestamptz[])',
    };
    const builder = db('conversions')
      .select(db.raw(`${keys[group]} AS key`, buckets ? [buckets.map((b) => b.start.toISOString())] : []), 'currency')
      .select(db.raw('count(*)::bigint AS count, sum(amount)::bigint AS revenue, sum(refunded_amount)::bigint AS refunded'))
      .select(db.raw('sum(disputed_amount)::bigint AS disputed'))
      .where({ workspace_id: workspaceId })
      .where('sold_at', '>=', range.start)
      .where('sold_at', '<', range.end)
      .groupByRaw('1, 2');
    if (query.campaign_id) builder.where(campaign, query.campaign_id);
    if (query.link_id) builder.where(link, query.link_id);
    if (query.source_id) builder.where('source_id', query.source_id);
    if (query.currency) builder.where('currency', query.currency.toUpperCase());
    const rows: { key: string | number | null; currency: string; count: string; revenue: string; refunded: string; disputed: string }[] = await builder;
    // A conversion's refunded and disputed amounts never exceed it (adjustments.ts), so net sums as the list's net_amount does.
    return rows.map((row) => ({
      key: buckets ? buckets[Number(row.key) - 1].key : (row.key as string | null),
      currency: row.currency,
      count: Number(row.count),
      revenue: Number(row.revenue),
      refunded: Number(row.refunded),
      disputed: Number(row.disputed),
      net: Number(row.revenue) - Number(row.refunded) - Number(row.disputed),
    }));
  }

  /** Spend per campaign, day and currency, within the range's local days. */
  private async spend(scope: Scope, group: GroupBy) {
    const { workspaceId, range, query, buckets } = scope;
    const builder = this.deps.db('campaign_spend')
      .select('campaign_id', this.deps.db.raw("to_char(day, 'YYYY-MM-DD') AS day"), 'currency', 'amount')
      .where({ workspace_id: workspaceId })
      .whereBetween('day', [range.firstDay, range.lastDay]);
    if (query.campaign_id) builder.where('campaign_id', query.campaign_id);
    if (query.currency) builder.where('currency', query.currency.toUpperCase());
    const rows: { campaign_id: string; day: LocalDate; currency: string; amount: string }[] = await builder;
    return rows.map((row) => ({
      key: group === 'campaign' ? row.campaign_id : buckets ? bucketKey(row.day, group as TimeGroup) : null,
      currency: row.currency,
      amount: Number(row.amount),
    }));
  }

  private async labels(workspaceId: string, group: GroupBy, keys: (string | null)[], buckets: TimeBucket[] | null): Promise<Map<string | null, string>> {
    const { db } = this.deps;
    const ids = keys.filter((key): key is string => key !== null);
    const labels = new Map<string | null, string>();
    if (buckets) for (const bucket of buckets) labels.set(bucket.key, bucket.label);
    if (group === 'total') labels.set(null, 'Total');
    if (group === 'campaign') {
      labels.set(null, 'No campaign (unattributed)');
      for (const row of await db('campaigns').where({ workspace_id: workspaceId }).whereIn('id', ids).select('id', 'name')) labels.set(row.id, row.name);
    }
    if (group === 'link') {
      labels.set(null, 'No link (coupon or unattributed)');
      for (const row of await db('links').where({ workspace_id: workspaceId }).whereIn('id', ids).select('id', 'slug')) labels.set(row.id, `/c/${row.slug}`);
    }
    if (group === 'source') {
      labels.set(null, 'Server to server (POST /api/conversions)');
      for (const row of await db('sources').where({ workspace_id: workspaceId }).whereIn('id', ids).select('id', 'name', 'provider')) {
        labels.set(row.id, row.name ?? PROVIDER_NAMES[row.provider as ProviderName] ?? row.provider);
      }
    }
    if (group === 'country') labels.set('', 'Unknown');
    if (group === 'referrer') labels.set('', 'Direct or unknown');
    return labels;
  }
}

interface Scope {
  workspaceId: string;
  range: ReportRange;
  query: ReportQuery;
  model: AttributionModel;
  buckets: TimeBucket[] | null;
}

/** Spend is per campaign and day: it belongs to campaign, time and total rows, unless a link or source filter splits them. */
function carriesSpend(group: GroupBy, query: ReportQuery): boolean {
  return (group === 'campaign' || group === 'total' || isTimeGroup(group)) && !query.link_id && !query.source_id;
}

const bucketKey = (day: LocalDate, group: TimeGroup) => (group === 'month' ? day.slice(0, 7) : bucketStart(day, group));

/** Whole UTC days inside a range (read from the daily counts), and the edges around them (read from the slots). */
function splitByUtcDay(range: ReportRange): { days: { first: string; end: string } | null; edges: [Date, Date][] } {
  const DAY = 86_400_000;
  const firstFull = Math.ceil(range.start.getTime() / DAY) * DAY;
  const endFull = Math.floor(range.end.getTime() / DAY) * DAY;
  if (firstFull >= endFull) return { days: null, edges: [[range.start, range.end]] };
  const edges: [Date, Date][] = [];
  if (range.start.getTime() < firstFull) edges.push([range.start, new Date(firstFull)]);
  if (endFull < range.end.getTime()) edges.push([new Date(endFull), range.end]);
  const day = (time: number) => new Date(time).toISOString().slice(0, 10);
  return { days: { first: day(firstFull), end: day(endFull) }, edges };
}

type Figures = Partial<{ count: number; revenue: number; refunded: number; disputed: number; net: number; spend: number }>;

function add(tally: Tally, currency: string, figures: Figures): void {
  let money = tally.byCurrency.get(currency);
  if (!money) tally.byCurrency.set(currency, (money = { count: 0, revenue: 0, refunded: 0, disputed: 0, net: 0, spend: 0 }));
  for (const [name, value] of Object.entries(figures) as [keyof typeof money, number][]) money[name] += value;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/** A row's figures: sums as they are; EPC, AOV per currency to the minor unit; ROI and conversion rate to 4 decimals. */
function present(key: string | null, label: string, tally: Tally, options: { clicks: boolean; spend: boolean }): ReportRow {
  const currencies = [...tally.byCurrency.keys()].sort();
  const map = (pick: (money: NonNullable<ReturnType<Tally['byCurrency']['get']>>) => number | null) =>
    Object.fromEntries(currencies.flatMap((currency) => {
      const value = pick(tally.byCurrency.get(currency)!);
      return value === null ? [] : [[currency, value]];
    }));
  const clicks = options.clicks ? tally.clicks : null;
  const row: ReportRow = {
    key,
    label,
    clicks,
    conversions: tally.conversions,
    revenue: map((m) => (m.count > 0 ? m.revenue : null)),
    refunded: map((m) => (m.count > 0 ? m.refunded : null)),
    disputed: map((m) => (m.count > 0 ? m.disputed : null)),
    net: map((m) => (m.count > 0 ? m.net : null)),
    conversion_rate: clicks ? round4(tally.conversions / clicks) : null,
    epc: map((m) => (clicks && m.count > 0 ? Math.round(m.net / clicks) : null)),
    aov: map((m) => (m.count > 0 ? Math.round(m.revenue / m.count) : null)),
  };
  if (options.spend) {
    row.spend = map((m) => (m.spend > 0 ? m.spend : null));
    row.roi = map((m) => (m.spend > 0 ? round4((m.net - m.spend) / m.spend) : null));
  }
  return row;
}

/** Time buckets in order; anything else by net, largest first (in the currency with the most net), then clicks. */
function sortRows(rows: ReportRow[], group: GroupBy): void {
  if (isTimeGroup(group)) return rows.sort((a, b) => String(a.key).localeCompare(String(b.key))) && undefined;
  const totals = new Map<string, number>();
  for (const row of rows) for (const [currency, net] of Object.entries(row.net)) totals.set(currency, (totals.get(currency) ?? 0) + net);
  const main = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  rows.sort((a, b) => (main ? (b.net[main] ?? 0) - (a.net[main] ?? 0) : 0) || (b.clicks ?? 0) - (a.clicks ?? 0) || String(a.key).localeCompare(String(b.key)));
}
