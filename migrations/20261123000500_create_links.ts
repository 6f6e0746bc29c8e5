import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('links', (table) => {
    table.text('id').primary();
    table.text('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    table.text('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    table.text('slug').notNullable().unique();
    table.text('destination_url');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('archived_at', { useTz: true });
    table.index(['workspace_id', 'id']);
    table.index(['campaign_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('links');
}
