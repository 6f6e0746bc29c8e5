import type { Knex } from 'knex';

// One-time links: the first run's setup link, invites, and password-setting links. The id is the token's SHA-256.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('account_links', (table) => {
    table.text('id').primary();
    table.text('purpose').notNullable().checkIn(['setup', 'invite', 'password']);
    table.text('workspace_id').references('workspaces.id').onDelete('CASCADE');
    table.text('user_id').references('users.id').onDelete('CASCADE');
    table.text('email');
    table.text('role').checkIn(['owner', 'member']);
    table.text('created_by').references('users.id').onDelete('SET NULL');
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('used_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['workspace_id', 'purpose']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('account_links');
}
