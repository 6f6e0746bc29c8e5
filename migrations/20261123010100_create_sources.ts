import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sources', (table) => {
    table.text('id').primary();
    table.text('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    table.text('provider').notNullable();
    table.text('mode').notNullable();
    table.text('name');
    table.text('status').notNullable().defaultTo('active');
    table.text('account_id');
    // Secrets are AES-256-GCM ciphertexts that name their key (src/sources/secret-box.ts).
    table.text('api_key_encrypted');
    table.text('api_key_last4');
    table.text('webhook_secret_encrypted');
    table.jsonb('event_mappings');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('disconnected_at', { useTz: true });
    table.index(['workspace_id', 'id']);
  });
  await knex.raw(`ALTER TABLE sources ADD CONSTRAINT sources_provider_check CHECK (provider IN ('stripe', 'polar'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sources');
}
