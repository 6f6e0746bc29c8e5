import type { Knex } from 'knex';

/**
 * What ROI reports read, kept current by the writers so that no report scans raw clicks:
 * - click counts per link per 15 minutes (`link_clicks`) and per UTC day (`link_clicks_daily`), per workspace per
 *   15 minutes (`workspace_clicks`), and per country and referrer host (`dimension_clicks`, `dimension_clicks_daily`),
 *   written with each batch of clicks in its transaction. Fifteen minutes because every time zone's offset is a
 *   multiple of it, so any local day, week or month is an exact sum of slots; whole UTC days inside a range are
 *   read from the daily tables, the edges from the slots.
 * - conversions by the time of the sale (`sold_at`, with its index: migrations/20261202000200);
 * - campaign spend per day and currency; the workspace's time zone and attribution model.
 * Every table carries workspace_id, the distribution key if the database is ever sharded by workspace.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('SET LOCAL statement_timeout = 0'); // backfills below read every click
  await knex.raw(`ALTER TABLE workspaces ADD COLUMN timezone text NOT NULL DEFAULT 'UTC',
    ADD COLUMN attribution_model text NOT NULL DEFAULT 'last_click'`);

  await knex.raw(`ALTER TABLE clicks ADD COLUMN workspace_id text, ADD COLUMN campaign_id text, ADD COLUMN first_click_id text,
    ADD COLUMN referrer_host text`);
  // The host as src/clicks/click-counts.ts derives it (lower case, no www.) for the clicks written before.
  await knex.raw(`UPDATE clicks SET workspace_id = l.workspace_id, campaign_id = l.campaign_id,
    referrer_host = nullif(regexp_replace(lower(substring(clicks.referer FROM '^https?://(?:[^/?#@]*@)?([^/?#:]+)')), '^www\\.', ''), '')
    FROM links l WHERE l.id = clicks.link_id`);


  await knex.schema.createTable('campaign_spend', (table) => {
    table.text('workspace_id').notNullable();
    table.text('campaign_id').notNullable();
    table.date('day').notNullable();
    table.text('currency').notNullable();
    table.bigInteger('amount').notNullable();
    table.primary(['workspace_id', 'campaign_id', 'day', 'currency']);
  });
  await knex.raw('ALTER TABLE campaign_spend ADD CONSTRAINT campaign_spend_amount_check CHECK (amount > 0)');
  await knex.raw('CREATE INDEX campaign_spend_workspace_day ON campaign_spend (workspace_id, day)');

  await knex.raw(`CREATE TABLE link_clicks (
    workspace_id text NOT NULL, link_id text NOT NULL, campaign_id text NOT NULL, slot timestamptz NOT NULL, clicks integer NOT NULL,
    PRIMARY KEY (workspace_id, link_id, slot))`);
  await knex.raw(`CREATE TABLE link_clicks_daily (
    workspace_id text NOT NULL, link_id text NOT NULL, campaign_id text NOT NULL, day date NOT NULL, clicks integer NOT NULL,
    PRIMARY KEY (workspace_id, link_id, day))`);
  await knex.raw(`CREATE TABLE workspace_clicks (
    workspace_id text NOT NULL, slot timestamptz NOT NULL, clicks integer NOT NULL,
    PRIMARY KEY (workspace_id, slot))`);
  // dimension: 'country' (ISO code, '' when unknown) or 'referrer' (host, '' when none).
  await knex.raw(`CREATE TABLE dimension_clicks (
    workspace_id text NOT NULL, dimension text NOT NULL, value text NOT NULL, link_id text NOT NULL, campaign_id text NOT NULL,
    slot timestamptz NOT NULL, clicks integer NOT NULL,
    PRIMARY KEY (workspace_id, dimension, slot, link_id, value))`);
  await knex.raw(`CREATE TABLE dimension_clicks_daily (
    workspace_id text NOT NULL, dimension text NOT NULL, value text NOT NULL, link_id text NOT NULL, campaign_id text NOT NULL,
    day date NOT NULL, clicks integer NOT NULL,
    PRIMARY KEY (workspace_id, dimension, day, link_id, value))`);
  await knex.raw('CREATE INDEX link_clicks_daily_workspace_day ON link_clicks_daily (workspace_id, day)');
  await knex.raw('CREATE INDEX link_clicks_workspace_slot ON link_clicks (workspace_id, slot)');

  // The clicks recorded so far, counted once into each table.
  const slot = `to_timestamp(floor(extract(epoch FROM c.created_at) / 900) * 900)`;
  await knex.raw(`INSERT INTO link_clicks SELECT c.workspace_id, c.link_id, c.campaign_id, ${slot}, count(*)
    FROM clicks c WHERE c.workspace_id IS NOT NULL GROUP BY 1, 2, 3, 4`);
  await knex.raw(`INSERT INTO link_clicks_daily SELECT c.workspace_id, c.link_id, c.campaign_id, (c.created_at AT TIME ZONE 'UTC')::date, count(*)
    FROM clicks c WHERE c.workspace_id IS NOT NULL GROUP BY 1, 2, 3, 4`);
  await knex.raw(`INSERT INTO workspace_clicks SELECT c.workspace_id, ${slot}, count(*) FROM clicks c WHERE c.workspace_id IS NOT NULL GROUP BY 1, 2`);
  for (const [dimension, value] of [['country', `coalesce(c.country, '')`], ['referrer', `coalesce(c.referrer_host, '')`]]) {
    await knex.raw(`INSERT INTO dimension_clicks SELECT c.workspace_id, '${dimension}', ${value}, c.link_id, c.campaign_id, ${slot}, count(*)
      FROM clicks c WHERE c.workspace_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6`);
    await knex.raw(`INSERT INTO dimension_clicks_daily SELECT c.workspace_id, '${dimension}', ${value}, c.link_id, c.campaign_id,
      (c.created_at AT TIME ZONE 'UTC')::date, count(*) FROM clicks c WHERE c.workspace_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['dimension_clicks_daily', 'dimension_clicks', 'workspace_clicks', 'link_clicks_daily', 'link_clicks', 'campaign_spend']) {
    await knex.schema.dropTable(table);
  }
  await knex.raw('ALTER TABLE clicks DROP COLUMN workspace_id, DROP COLUMN campaign_id, DROP COLUMN first_click_id, DROP COLUMN referrer_host');
  await knex.raw('ALTER TABLE workspaces DROP COLUMN timezone, DROP COLUMN attribution_model');
}
