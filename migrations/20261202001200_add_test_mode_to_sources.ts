import type { Knex } from 'knex';

// A source connected with a test-mode key (Lemon Squeezy) counts the test-mode events that other sources ignore.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sources', (table) => {
    table.boolean('test_mode').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sources', (table) => {
    table.dropColumn('test_mode');
  });
}
