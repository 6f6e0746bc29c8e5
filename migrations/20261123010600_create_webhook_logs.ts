import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_logs', (table) => {
    table.text('id').primary();
    table.text('source_id').references('sources.id').onDelete('CASCADE');
    table.text('provider').notNullable();
    table.text('provider_event_id');
    table.text('event_type');
    table.text('outcome').notNullable();
    table.text('detail');
    table.text('conversion_id');
    table.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['source_id', 'id']);
    table.index('received_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_logs');
}
