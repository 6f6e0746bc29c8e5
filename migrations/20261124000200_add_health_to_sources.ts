import type { Knex } from 'knex';

// What the background jobs learnt about a source; its status is derived from these (src/sources/health.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sources', (table) => {
    table.timestamp('last_synced_at', { useTz: true });
    table.text('sync_error');
    table.timestamp('sync_error_at', { useTz: true });
    table.text('refresh_error');
    table.timestamp('refresh_error_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sources', (table) => {
    table.dropColumns('last_synced_at', 'sync_error', 'sync_error_at', 'refresh_error', 'refresh_error_at');
  });
}
