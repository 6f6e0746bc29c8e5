import type { Knex } from 'knex';

// No foreign keys: clicks arrive in batches after the redirect, and a click id stays valid on its own.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('clicks', (table) => {
    table.text('id').primary();
    table.text('link_id').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.text('ip_hash');
    table.text('user_agent');
    table.text('referer');
    table.text('country');
    table.index(['link_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('clicks');
}
