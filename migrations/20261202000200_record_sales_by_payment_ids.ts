import type { Knex } from 'knex';

/**
 * The sale rule, in one place: how a paid order becomes a conversion. Both ways a sale is written call this
 * function: the webhook path's batches (several new sales, one round trip and one commit, `settle` false) and
 * the transaction that a sale needing refund arithmetic gets (one sale, `settle` true: the caller claims the
 * event, writes the log row and applies waiting refunds in the same transaction). The superseded
 * sale-by-sale function is dropped.
 *
 * One payment is one sale, whichever events report it: a sale whose payment ids (order, payment intent,
 * charge, invoice, session) meet those of a conversion already recorded is that conversion, which learns the
 * new ids. A later report of the sale that knows more (a click id where the first had none, a click where the
 * first had only a coupon) upgrades its attribution, once: a report that knows no more changes nothing.
 *
 * A sale is handed back as needs_transaction (batch mode) when it repeats an event or payment of an earlier
 * sale of the same batch, when a refund or dispute waits for one of its payments, or when it reports a refund
 * of a sale already recorded: all of those need the refund arithmetic of src/conversions/adjustments.ts.
 */
export async function up(knex: Knex): Promise<void> {
  // Reports credit a sale to its last click or its chain's first, at the time of the sale, by where each click came from.
  await knex.raw(`ALTER TABLE conversions
    ADD COLUMN first_click_id text, ADD COLUMN first_link_id text, ADD COLUMN first_campaign_id text,
    ADD COLUMN reported_refunded_at timestamptz, ADD COLUMN sold_at timestamptz,
    ADD COLUMN country text, ADD COLUMN referrer_host text, ADD COLUMN first_country text, ADD COLUMN first_referrer_host text`);
  await knex.raw('UPDATE conversions SET sold_at = created_at');
  await knex.raw('ALTER TABLE conversions ALTER COLUMN sold_at SET NOT NULL, ALTER COLUMN sold_at SET DEFAULT now()');
  // Reports read a workspace's sales by time: with what they sum beside the key, the index alone answers them.
  await knex.raw(`CREATE INDEX conversions_workspace_sold_at ON conversions (workspace_id, sold_at)
    INCLUDE (currency, amount, refunded_amount, disputed_amount, campaign_id, link_id, first_campaign_id, first_link_id, source_id)`);
  await knex.raw('ALTER TABLE customers ADD COLUMN first_click_id text, ADD COLUMN first_link_id text, ADD COLUMN first_campaign_id text');
  // Until now every click started its own chain: the first click of a conversion is its click.
  await knex.raw('UPDATE conversions SET first_click_id = click_id, first_link_id = link_id, first_campaign_id = campaign_id');
  await knex.raw('UPDATE customers SET first_click_id = click_id, first_link_id = link_id, first_campaign_id = campaign_id');
  await knex.raw('DROP FUNCTION syx_record_locked_sale(jsonb)');
  await knex.raw('DROP FUNCTION syx_record_sales(jsonb)');

  // How strongly a conversion is tied to its campaign: a later report of the sale may only raise it.
  await knex.raw(`
    CREATE FUNCTION syx_attribution_rank(attribution text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE attribution WHEN 'metadata' THEN 3 WHEN 'client_reference_id' THEN 3 WHEN 'server' THEN 3
                              WHEN 'customer' THEN 2 WHEN 'coupon' THEN 1 ELSE 0 END
    $$`);

  await knex.raw(`
    CREATE FUNCTION syx_record_sales(sales jsonb, settle boolean DEFAULT false) RETURNS jsonb LANGUAGE plpgsql
    -- Every row it reads is found by key. Tables that grew since their last ANALYZE look tiny to the planner, which
    -- would then scan them whole for each batch: no sequential scans in here, whatever the statistics say.
    SET enable_seqscan = off
    AS $$
    DECLARE
      v_results jsonb;
    BEGIN
      -- Every payment id of every sale, in one order: a refund of the same payment waits, and so does another
      -- report of the same sale, so each statement below sees what they committed.
      PERFORM syx_lock_payments(ARRAY(
        SELECT sale->>'source_id' || ':' || ref FROM jsonb_array_elements(sales) AS sale, jsonb_array_elements_text(sale->'refs') AS ref));

      WITH s AS (
        SELECT r.*, o.n, e.id AS earlier_id, e.attribution AS earlier_attribution
          FROM jsonb_array_elements(sales) WITH ORDINALITY AS o(sale, n)
         CROSS JOIN jsonb_to_record(o.sale) AS r(source_id text, workspace_id text, provider text, event_id text, event_type text,
                 log_id text, note text, conversion_id text, order_id text, refs text[], goal text, customer_id text,
                 amount bigint, currency text, reports_refunds boolean, campaign_id text, link_id text, click_id text,
                 first_click_id text, first_link_id text, first_campaign_id text, country text, referrer_host text,
                 first_country text, first_referrer_host text, sold_at timestamptz, attribution text, outcome text, detail text)
          -- The conversion of this payment, if any event of the sale was recorded before, by any of its payment ids.
          -- A primary-key lookup per id: "ref = ANY(refs)", or a join to the ids, lets the planner read every id of
          -- the source instead.
          LEFT JOIN LATERAL (
            SELECT c.id, c.attribution FROM conversions c
             WHERE c.id = (SELECT (SELECT p.conversion_id FROM payment_refs p WHERE p.source_id = r.source_id AND p.ref = x.ref)
                             FROM unnest(r.refs) AS x(ref) ORDER BY 1 NULLS LAST LIMIT 1)
          ) AS e ON true
      ), repeated AS (
        SELECT DISTINCT k.n FROM (
          SELECT s.n, min(s.n) OVER (PARTITION BY s.source_id, key) AS first
            FROM s, unnest(s.refs || ('event ' || s.event_id)) AS key
        ) AS k WHERE k.n > k.first
      ), held AS (
        SELECT s.n FROM s
         WHERE NOT settle AND (
               s.n IN (SELECT n FROM repeated)
            OR EXISTS (SELECT 1 FROM pending_adjustments p WHERE p.source_id = s.source_id AND p.refs && s.refs)
            OR (s.reports_refunds AND s.earlier_id IS NOT NULL))
      ), fresh AS (
        SELECT * FROM s WHERE s.n NOT IN (SELECT n FROM held)
      ), claimed AS (
        INSERT INTO webhook_events (source_id, provider_event_id)
        SELECT source_id, event_id FROM fresh WHERE NOT settle
        ON CONFLICT DO NOTHING
        RETURNING source_id, provider_event_id
      ), first_seen AS (
        SELECT f.* FROM fresh f
         WHERE settle OR EXISTS (SELECT 1 FROM claimed e WHERE e.source_id = f.source_id AND e.provider_event_id = f.event_id)
      ), created AS (
        INSERT INTO conversions (id, workspace_id, source_id, campaign_id, link_id, click_id, first_click_id, first_link_id,
                                 first_campaign_id, country, referrer_host, first_country, first_referrer_host, sold_at,
                                 goal, provider_order_id, customer_id, amount, currency, attribution)
        SELECT conversion_id, workspace_id, source_id, campaign_id, link_id, click_id, first_click_id, first_link_id,
               first_campaign_id, country, referrer_host, first_country, first_referrer_host, sold_at,
               goal, order_id, customer_id, amount, currency, attribution
          FROM first_seen WHERE earlier_id IS NULL
        ON CONFLICT (workspace_id, (coalesce(source_id, '')), provider_order_id) DO NOTHING
        RETURNING id
      ), decided AS (
        SELECT f.*, c.id IS NOT NULL AS is_new,
               coalesce(c.id, f.earlier_id, (SELECT x.id FROM conversions x WHERE x.workspace_id = f.workspace_id
                                              AND coalesce(x.source_id, '') = f.source_id AND x.provider_order_id = f.order_id)) AS recorded_id
          FROM first_seen f LEFT JOIN created c ON c.id = f.conversion_id
      ), upgrading AS (
        SELECT d.* FROM decided d
         WHERE NOT d.is_new AND d.earlier_id IS NOT NULL
           AND syx_attribution_rank(d.attribution) > syx_attribution_rank(d.earlier_attribution)
      ), upgraded AS (
        UPDATE conversions c
           SET campaign_id = u.campaign_id, link_id = u.link_id, click_id = u.click_id, first_click_id = u.first_click_id,
               first_link_id = u.first_link_id, first_campaign_id = u.first_campaign_id, country = u.country,
               referrer_host = u.referrer_host, first_country = u.first_country, first_referrer_host = u.first_referrer_host,
               attribution = u.attribution, updated_at = now()
          FROM upgrading u
         WHERE c.id = u.earlier_id
        RETURNING u.n, u.earlier_attribution AS previous
      ), customer AS (
        -- The customer follows the click that won them; a click learnt later replaces a coupon's campaign.
        INSERT INTO customers (source_id, customer_id, campaign_id, link_id, click_id, first_click_id, first_link_id, first_campaign_id)
        SELECT DISTINCT ON (source_id, customer_id) source_id, customer_id, campaign_id, link_id, click_id, first_click_id, first_link_id, first_campaign_id
          FROM decided d
         WHERE (d.is_new OR d.n IN (SELECT n FROM upgraded)) AND d.campaign_id IS NOT NULL AND d.customer_id IS NOT NULL
         ORDER BY source_id, customer_id, n -- two first sales of one customer in a batch: the earlier one's click keeps the customer
        ON CONFLICT (source_id, customer_id) DO UPDATE
           SET campaign_id = excluded.campaign_id, link_id = excluded.link_id, click_id = excluded.click_id,
               first_click_id = excluded.first_click_id, first_link_id = excluded.first_link_id, first_campaign_id = excluded.first_campaign_id
         WHERE customers.click_id IS NULL AND excluded.click_id IS NOT NULL
      ), payment AS (
        INSERT INTO payment_refs (source_id, ref, conversion_id)
        SELECT d.source_id, ref, d.recorded_id FROM decided d, unnest(d.refs) AS ref
         WHERE d.recorded_id IS NOT NULL
        ON CONFLICT DO NOTHING
      ), outcomes AS (
        SELECT f.n, f.source_id, f.provider, f.event_id, f.event_type, f.log_id, f.note, d.recorded_id,
               CASE WHEN d.n IS NULL THEN 'duplicate' WHEN d.is_new OR u.n IS NOT NULL THEN f.outcome ELSE 'duplicate' END AS outcome,
               CASE WHEN d.n IS NULL THEN 'already processed'
                    WHEN d.is_new THEN f.detail
                    WHEN u.n IS NOT NULL THEN format('same sale as %s; attribution upgraded from %s to %s: %s',
                                                     d.recorded_id, coalesce(u.previous, 'none'), f.attribution, f.detail)
                    ELSE format('same sale as %s, already recorded', d.recorded_id) END AS detail,
               coalesce(d.is_new, false) AS is_new
          FROM fresh f LEFT JOIN decided d ON d.n = f.n LEFT JOIN upgraded u ON u.n = f.n
      ), log AS (
        INSERT INTO webhook_logs (id, source_id, provider, provider_event_id, event_type, outcome, detail, conversion_id)
        SELECT log_id, source_id, provider, event_id, event_type, outcome,
               CASE WHEN coalesce(note, '') <> '' THEN format('%s (%s)', detail, note) ELSE detail END, recorded_id
          FROM outcomes WHERE NOT settle
      )
      SELECT jsonb_agg(
               CASE WHEN o.n IS NULL THEN jsonb_build_object('result', 'needs_transaction')
                    ELSE jsonb_build_object('result', 'recorded', 'outcome', o.outcome, 'detail', o.detail,
                                            'conversion_id', o.recorded_id, 'created', o.is_new) END
               ORDER BY s.n)
        INTO v_results
        FROM s LEFT JOIN outcomes o ON o.n = s.n;
      RETURN coalesce(v_results, '[]');
    END $$`);
}

/** Back to the functions as 20261201000100 left them: the set-based one beside the sale-by-sale one it replaced. */
export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION syx_record_sales(jsonb, boolean)');
  await knex.raw('DROP FUNCTION syx_attribution_rank(text)');
  await knex.raw('DROP FUNCTION syx_lock_payments(text[])');
  await (await import('./20261123015000_create_record_sale_function.js')).up(knex);
  await (await import('./20261201000100_replace_record_sales_with_set_based.js')).up(knex);
  await knex.raw('ALTER TABLE customers DROP COLUMN first_click_id, DROP COLUMN first_link_id, DROP COLUMN first_campaign_id');
  await knex.raw('DROP INDEX conversions_workspace_sold_at');
  await knex.raw(`ALTER TABLE conversions DROP COLUMN first_click_id, DROP COLUMN first_link_id, DROP COLUMN first_campaign_id,
    DROP COLUMN reported_refunded_at, DROP COLUMN sold_at, DROP COLUMN country, DROP COLUMN referrer_host,
    DROP COLUMN first_country, DROP COLUMN first_referrer_host`);
}
