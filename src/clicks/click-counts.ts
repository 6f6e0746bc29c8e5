import type { Knex } from 'knex';

/** A click as the report tables count it. */
export interface CountedClick {
  workspaceId: string;
  linkId: string;
  campaignId: string;
  at: Date;
  country: string | null;
  referrerHost: string | null;
}

const SLOT_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Adds a batch of clicks to the report tables (migrations/20261202000400), inside the transaction that writes the
 * clicks themselves, so reports see a click exactly when its row exists. The batch is counted in memory first:
 * a few rows per table, however many clicks.
 */
export async function countClicks(trx: Knex.Transaction, clicks: CountedClick[]): Promise<void> {
  if (clicks.length === 0) return;
  const links = new Tally();
  const daily = new Tally();
  const workspace = new Tally();
  const dimensions = new Tally();
  const dimensionsDaily = new Tally();
  // A batch holds thousands of clicks but a few distinct rows: group first, with one key per click, then count the groups.
  for (const { click, count } of groupClicks(clicks)) {
    const time = click.at.getTime();
    const slot = new Date(time - (time % SLOT_MS)).toISOString();
    const day = new Date(time - (time % DAY_MS)).toISOString().slice(0, 10);
    const link = [click.workspaceId, click.linkId, click.campaignId];
    links.add([...link, slot], count);
    daily.add([...link, day], count);
    workspace.add([click.workspaceId, slot], count);
    for (const [dimension, value] of [['country', click.country ?? ''], ['referrer', click.referrerHost ?? '']]) {
      dimensions.add([click.workspaceId, dimension, value, click.linkId, click.campaignId, slot], count);
      dimensionsDaily.add([click.workspaceId, dimension, value, click.linkId, click.campaignId, day], count);
    }
  }
  await trx.raw(
    `WITH links AS (
       INSERT INTO link_clicks AS t (workspace_id, link_id, campaign_id, slot, clicks)
       SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::int[])
       ON CONFLICT (workspace_id, link_id, slot) DO UPDATE SET clicks = t.clicks + excluded.clicks
     ), daily AS (
       INSERT INTO link_clicks_daily AS t (workspace_id, link_id, campaign_id, day, clicks)
       SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::date[], ?::int[])
       ON CONFLICT (workspace_id, link_id, day) DO UPDATE SET clicks = t.clicks + excluded.clicks
     ), workspaces AS (
       INSERT INTO workspace_clicks AS t (workspace_id, slot, clicks)
       SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::int[])
       ON CONFLICT (workspace_id, slot) DO UPDATE SET clicks = t.clicks + excluded.clicks
     ), dimensions AS (
       INSERT INTO dimension_clicks AS t (workspace_id, dimension, value, link_id, campaign_id, slot, clicks)
       SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::int[])
       ON CONFLICT (workspace_id, dimension, slot, link_id, value) DO UPDATE SET clicks = t.clicks + excluded.clicks
     )
     INSERT INTO dimension_clicks_daily AS t (workspace_id, dimension, value, link_id, campaign_id, day, clicks)
     SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::date[], ?::int[])
     ON CONFLICT (workspace_id, dimension, day, link_id, value) DO UPDATE SET clicks = t.clicks + excluded.clicks`,
    <Knex.RawBinding[]>[...links.columns(), ...daily.columns(), ...workspace.columns(), ...dimensions.columns(), ...dimensionsDaily.columns()],
  );
}

/** Clicks that land in the same row of every report table (same link and campaign, 15-minute slot, country and referrer), with their number. */
function groupClicks(clicks: CountedClick[]): { click: CountedClick; count: number }[] {
  const groups = new Map<string, { click: CountedClick; count: number }>();
  for (const click of clicks) {
    const time = click.at.getTime();
    const id = `${click.linkId}\u0000${click.campaignId}\u0000${time - (time % SLOT_MS)}\u0000${click.country ?? ''}\u0000${click.referrerHost ?? ''}`;
    const group = groups.get(id);
    if (group) group.count++;
    else groups.set(id, { click, count: 1 });
  }
  return [...groups.values()];
}

/** Counts per key, handed to the database as one array per column (the key's parts, then the count). */
class Tally {
  private readonly counts = new Map<string, { key: string[]; count: number }>();

  add(key: string[], count: number): void {
    const id = key.join('\u0000');
    const entry = this.counts.get(id);
    if (entry) entry.count += count;
    else this.counts.set(id, { key, count });
  }

  columns(): (string | number)[][] {
    const entries = [...this.counts.values()];
    const width = entries[0]?.key.length ?? 0;
    return [...Array.from({ length: width }, (_, i) => entries.map((entry) => entry.key[i])), entries.map((entry) => entry.count)];
  }
}

/** The host a visitor came from, as reports group it: lower case, without `www.`; null for none or not http(s). */
export function referrerHost(referer: string | null): string | null {
  if (!referer) return null;
  try {
    const url = new URL(referer);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.hostname.toLowerCase().replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}
