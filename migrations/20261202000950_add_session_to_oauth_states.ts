import type { Knex } from 'knex';

// A connection started from the dashboard finishes only in the browser session that started it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oauth_states', (table) => {
    table.text('session_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oauth_states', (table) => {
    table.dropColumn('session_id');
  });
}
