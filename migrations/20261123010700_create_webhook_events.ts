import type { Knex } from 'knex';

// The de-duplication key: written in the same transaction as the event's effect.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_events', (table) => {
    table.text('source_id').notNullable().references('sources.id').onDelete('CASCADE');
    table.text('provider_event_id').notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['source_id', 'provider_event_id']);
    table.index('received_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_events');
}
