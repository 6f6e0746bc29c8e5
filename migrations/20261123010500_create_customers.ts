import type { Knex } from 'knex';

// The click that won a provider customer, so renewals and repeat purchases follow it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (table) => {
    table.text('source_id').notNullable().references('sources.id').onDelete('CASCADE');
    table.text('customer_id').notNullable();
    table.text('campaign_id').notNullable();
    table.text('link_id');
    table.text('click_id');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['source_id', 'customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customers');
}
