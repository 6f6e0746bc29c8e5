import type { Knex } from 'knex';

/**
 * The webhook path's common case, new sales, many in one round trip and one commit: each statement of a
 * plpgsql function sees what committed before it, so the payment locks taken first order these sales against
 * a refund of them exactly as the transactions in recorder.ts do. A sale that needs the refund arithmetic (a
 * refund or dispute waiting for its payment, a cumulative refund on an order already recorded) is handed back
 * untouched.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION syx_lock_payments(v_keys text[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      -- Keys are '<source id>:<ref>'. Always taken in the same order, so two transactions locking overlapping
      -- payments cannot deadlock.
      PERFORM pg_advisory_xact_lock(hashtextextended(key, 0))
        FROM (SELECT DISTINCT unnest(v_keys) AS key) AS keys
        ORDER BY key COLLATE "C";
    END $$`);

  await knex.raw(`
    CREATE FUNCTION syx_record_sales(sales jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
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

  // One sale, its payments already locked by the caller's transaction.
  await knex.raw(`
    CREATE FUNCTION syx_record_locked_sale(sale jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
    DECLARE
      v_source text := sale->>'source_id';
      v_workspace text := sale->>'workspace_id';
      v_order text := sale->>'order_id';
      v_refs text[] := ARRAY(SELECT jsonb_array_elements_text(sale->'refs'));
      v_outcome text := sale->>'outcome';
      v_detail text := sale->>'detail';
      v_conversion text;
    BEGIN
      IF EXISTS (SELECT 1 FROM pending_adjustments WHERE source_id = v_source AND refs && v_refs)
         OR ((sale->>'reports_refunds')::boolean AND EXISTS (
           SELECT 1 FROM conversions WHERE workspace_id = v_workspace AND source_id = v_source AND provider_order_id = v_order))
      THEN
        RETURN jsonb_build_object('result', 'needs_transaction');
      END IF;

      INSERT INTO webhook_events (source_id, provider_event_id) VALUES (v_source, sale->>'event_id') ON CONFLICT DO NOTHING;
      IF NOT FOUND THEN
        v_outcome := 'duplicate';
        v_detail := 'already processed';
      ELSE
        INSERT INTO conversions (id, workspace_id, source_id, campaign_id, link_id, click_id, goal, provider_order_id,
                                 customer_id, amount, currency, attribution)
        VALUES (sale->>'conversion_id', v_workspace, v_source, sale->>'campaign_id', sale->>'link_id', sale->>'click_id',
                sale->>'goal', v_order, sale->>'customer_id', (sale->>'amount')::bigint, sale->>'currency', sale->>'attribution')
        ON CONFLICT (workspace_id, (coalesce(source_id, '')), provider_order_id) DO NOTHING
        RETURNING id INTO v_conversion;
        IF v_conversion IS NULL THEN
          SELECT id INTO v_conversion FROM conversions
           WHERE workspace_id = v_workspace AND source_id = v_source AND provider_order_id = v_order;
          v_outcome := 'duplicate';
          v_detail := format('same sale as %s, already recorded', v_conversion);
        ELSIF sale->>'campaign_id' IS NOT NULL AND sale->>'customer_id' IS NOT NULL THEN
          INSERT INTO customers (source_id, customer_id, campaign_id, link_id, click_id)
          VALUES (v_source, sale->>'customer_id', sale->>'campaign_id', sale->>'link_id', sale->>'click_id')
          ON CONFLICT DO NOTHING;
        END IF;
        INSERT INTO payment_refs (source_id, ref, conversion_id)
        SELECT v_source, unnest(v_refs), v_conversion ON CONFLICT DO NOTHING;
      END IF;

      IF coalesce(sale->>'note', '') <> '' THEN
        v_detail := format('%s (%s)', v_detail, sale->>'note');
      END IF;
      INSERT INTO webhook_logs (id, source_id, provider, provider_event_id, event_type, outcome, detail, conversion_id)
      VALUES (sale->>'log_id', v_source, sale->>'provider', sale->>'event_id', sale->>'event_type', v_outcome, v_detail, v_conversion);
      RETURN jsonb_build_object('result', 'recorded', 'outcome', v_outcome, 'conversion_id', v_conversion);
    END $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION syx_record_sales(jsonb)');
  await knex.raw('DROP FUNCTION syx_record_locked_sale(jsonb)');
  await knex.raw('DROP FUNCTION syx_lock_payments(text[])');
}
