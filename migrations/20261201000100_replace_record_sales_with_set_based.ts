import type { Knex } from 'knex';

/**
 * syx_record_sales as a few set-based statements over the whole batch instead of six statements per sale:
 * on PostgreSQL each statement costs tens of microseconds of executor start-up, which was most of a sale's
 * cost. A sale that repeats an event, order or payment of an earlier sale in the same batch is handed back
 * as needs_transaction, like one that needs the refund arithmetic, so every sale written here is distinct
 * and `ON CONFLICT` only ever meets rows committed before (the payment locks order them).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION syx_record_sales(sales jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
    DECLARE
      v_results jsonb;
    BEGIN
      PERFORM syx_lock_payments(ARRAY(
        SELECT sale->>'source_id' || ':' || ref FROM jsonb_array_elements(sales) AS sale, jsonb_array_elements_text(sale->'refs') AS ref));

      WITH s AS (
        SELECT r.*, o.n
          FROM jsonb_array_elements(sales) WITH ORDINALITY AS o(sale, n),
               jsonb_to_record(o.sale) AS r(source_id text, workspace_id text, provider text, event_id text, event_type text,
                 log_id text, note text, conversion_id text, order_id text, refs text[], goal text, customer_id text,
                 amount bigint, currency text, reports_refunds boolean, campaign_id text, link_id text, click_id text,
                 attribution text, outcome text, detail text)
      ), repeated AS (
        SELECT DISTINCT k.n FROM (
          SELECT s.n, min(s.n) OVER (PARTITION BY s.source_id, key) AS first
            FROM s, unnest(s.refs || ('event ' || s.event_id)) AS key
        ) AS k WHERE k.n > k.first
      ), held AS (
        SELECT s.n FROM s
         WHERE s.n IN (SELECT n FROM repeated)
            OR EXISTS (SELECT 1 FROM pending_adjustments p WHERE p.source_id = s.source_id AND p.refs && s.refs)
            OR (s.reports_refunds AND EXISTS (
              SELECT 1 FROM conversions c
               WHERE c.workspace_id = s.workspace_id AND coalesce(c.source_id, '') = s.source_id AND c.provider_order_id = s.order_id))
      ), fresh AS (
        SELECT * FROM s WHERE s.n NOT IN (SELECT n FROM held)
      ), claimed AS (
        INSERT INTO webhook_events (source_id, provider_event_id)
        SELECT source_id, event_id FROM fresh
        ON CONFLICT DO NOTHING
        RETURNING source_id, provider_event_id
      ), first_seen AS (
        SELECT f.* FROM fresh f JOIN claimed e ON e.source_id = f.source_id AND e.provider_event_id = f.event_id
      ), created AS (
        INSERT INTO conversions (id, workspace_id, source_id, campaign_id, link_id, click_id, goal, provider_order_id,
                                 customer_id, amount, currency, attribution)
        SELECT conversion_id, workspace_id, source_id, campaign_id, link_id, click_id, goal, order_id,
               customer_id, amount, currency, attribution
          FROM first_seen
        ON CONFLICT (workspace_id, (coalesce(source_id, '')), provider_order_id) DO NOTHING
        RETURNING id
      ), decided AS (
        SELECT f.n, f.source_id, f.refs, f.customer_id, f.campaign_id, f.link_id, f.click_id, f.is_new,
               CASE WHEN f.is_new THEN f.conversion_id ELSE earlier.id END AS conversion_id
          FROM (SELECT *, conversion_id IN (SELECT id FROM created) AS is_new FROM first_seen) AS f
          LEFT JOIN conversions earlier
            ON NOT f.is_new AND earlier.workspace_id = f.workspace_id AND coalesce(earlier.source_id, '') = f.source_id
           AND earlier.provider_order_id = f.order_id
      ), customer AS (
        INSERT INTO customers (source_id, customer_id, campaign_id, link_id, click_id)
        SELECT source_id, customer_id, campaign_id, link_id, click_id FROM decided
         WHERE is_new AND campaign_id IS NOT NULL AND customer_id IS NOT NULL
         ORDER BY n -- two first sales of one customer in a batch: the earlier one's click keeps the customer
        ON CONFLICT DO NOTHING
      ), payment AS (
        INSERT INTO payment_refs (source_id, ref, conversion_id)
        SELECT d.source_id, ref, d.conversion_id FROM decided d, unnest(d.refs) AS ref
         WHERE d.conversion_id IS NOT NULL
        ON CONFLICT DO NOTHING
      ), logged AS (
        SELECT f.*, d.conversion_id AS recorded_id,
               CASE WHEN d.n IS NULL THEN 'duplicate' WHEN NOT d.is_new THEN 'duplicate' ELSE f.outcome END AS final_outcome,
               CASE WHEN d.n IS NULL THEN 'already processed'
                    WHEN NOT d.is_new THEN format('same sale as %s, already recorded', d.conversion_id)
                    ELSE f.detail END AS final_detail
          FROM fresh f LEFT JOIN decided d ON d.n = f.n
      ), log AS (
        INSERT INTO webhook_logs (id, source_id, provider, provider_event_id, event_type, outcome, detail, conversion_id)
        SELECT log_id, source_id, provider, event_id, event_type, final_outcome,
               CASE WHEN coalesce(note, '') <> '' THEN format('%s (%s)', final_detail, note) ELSE final_detail END,
               recorded_id
          FROM logged
      )
      SELECT jsonb_agg(
               CASE WHEN l.n IS NULL THEN jsonb_build_object('result', 'needs_transaction')
                    ELSE jsonb_build_object('result', 'recorded', 'outcome', l.final_outcome, 'conversion_id', l.recorded_id) END
               ORDER BY s.n)
        INTO v_results
        FROM s LEFT JOIN logged l ON l.n = s.n;
      RETURN coalesce(v_results, '[]');
    END $$`);
}

/** Back to the sale-by-sale loop of 20261123015000 (syx_record_locked_sale is still there). */
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION syx_record_sales(sales jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
    DECLARE
      v_results jsonb := '[]';
      v_sale jsonb;
    BEGIN
      PERFORM syx_lock_payments(ARRAY(
        SELECT sale->>'source_id' || ':' || ref FROM jsonb_array_elements(sales) AS sale, jsonb_array_elements_text(sale->'refs') AS ref));
      FOR v_sale IN SELECT * FROM jsonb_array_elements(sales) LOOP
        v_results := v_results || jsonb_build_array(syx_record_locked_sale(v_sale));
      END LOOP;
      RETURN v_results;
    END $$`);
}
