import type { Knex } from 'knex';

// One row per started one-click connection: the callback deletes it, so a state works once.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oauth_states', (table) => {
    table.text('id').primary();
    table.text('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    table.text('provider').notNullable();
    // Where the merchant's browser goes once connected, and the new source's name: chosen when the flow started.
    table.text('return_url');
    table.text('source_name');
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index('expires_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oauth_states');
}
