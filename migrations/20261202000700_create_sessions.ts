import type { Knex } from 'knex';

// Signed-in browsers. The row's id is the SHA-256 of the cookie's token, so the table holds nothing to sign in with.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sessions', (table) => {
    table.text('id').primary();
    table.text('user_id').notNullable().references('users.id').onDelete('CASCADE');
    // The workspace the dashboard shows; a membership is checked on every request.
    table.text('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    table.text('csrf_token').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index('user_id');
    table.index('last_seen_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
}
