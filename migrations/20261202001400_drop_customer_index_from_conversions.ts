import type { Knex } from 'knex';

/**
 * Nothing reads conversions by customer: attribution looks customers up in `customers`, keyed the same way. The
 * index was only written, once per sale, on the webhook path.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversions', (table) => table.dropIndex(['source_id', 'customer_id']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversions', (table) => table.index(['source_id', 'customer_id']));
}
