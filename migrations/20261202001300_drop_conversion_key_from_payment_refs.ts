import type { Knex } from 'knex';

/**
 * A payment id no longer checks its conversion by foreign key. The check is a trigger per row: a sale has two to
 * four payment ids, and in a batch of 50 Stripe sales the checks took 40% of syx_record_sales (15.5 ms a batch
 * with them, 11.6 ms without). Conversions are never deleted, and the only writer of payment_refs is
 * syx_record_sales, with the id of a conversion it has just found or inserted in the same statement, so the
 * key guarded nothing that happens (as 20261201000200 found for the source keys).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_refs', (table) => table.dropForeign(['conversion_id']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_refs', (table) => table.foreign('conversion_id').references('conversions.id').onDelete('CASCADE'));
}
