import type { Knex } from 'knex';

// Refunds and disputes that arrived before their order; applied when the order arrives.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pending_adjustments', (table) => {
    table.text('id').primary();
    table.text('source_id').notNullable().references('sources.id').onDelete('CASCADE');
    table.specificType('refs', 'text[]').notNullable();
    table.text('kind').notNullable();
    table.jsonb('facts').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index('source_id');
  });
  await knex.raw('CREATE INDEX pending_adjustments_refs ON pending_adjustments USING gin (refs)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('pending_adjustments');
}
