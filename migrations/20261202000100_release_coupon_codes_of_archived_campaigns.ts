import type { Knex } from 'knex';

// Archiving now releases a campaign's coupon codes; campaigns archived before keep theirs until this runs.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DELETE FROM coupon_codes WHERE campaign_id IN (SELECT id FROM campaigns WHERE archived_at IS NOT NULL)');
}

// The released codes may belong to other campaigns by now: nothing to put back.
export async function down(): Promise<void> {}
