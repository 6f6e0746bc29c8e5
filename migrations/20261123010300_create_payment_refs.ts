import type { Knex } from 'knex';

// Every provider id a refund or dispute may name (charge, payment intent, invoice...) → its conversion.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_refs', (table) => {
    table.text('source_id').notNullable().references('sources.id').onDelete('CASCADE');
    table.text('ref').notNullable();
    table.text('conversion_id').notNullable().references('conversions.id').onDelete('CASCADE');
    table.primary(['source_id', 'ref']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payment_refs');
}
