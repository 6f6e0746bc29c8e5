import type { Knex } from 'knex';

// One-click connections: the provider's tokens (AES-256-GCM ciphertexts, like the other secrets) and the
// webhook endpoint Synaptyx provisioned at the provider (Polar), so a re-connect or disconnect can remove it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sources', (table) => {
    table.text('access_token_encrypted');
    table.text('refresh_token_encrypted');
    table.timestamp('token_expires_at', { useTz: true });
    table.text('provider_webhook_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sources', (table) => {
    table.dropColumns('access_token_encrypted', 'refresh_token_encrypted', 'token_expires_at', 'provider_webhook_id');
  });
}
