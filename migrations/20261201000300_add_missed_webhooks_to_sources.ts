import type { Knex } from 'knex';

// Sales that reached Synaptyx only through reconciliation: how many the last such run recovered, and when.
// Until a webhook arrives after that time, the source's webhooks look broken and its status says so.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sources', (table) => {
    table.integer('missed_webhooks').notNullable().defaultTo(0);
    table.timestamp('missed_webhooks_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sources', (table) => {
    table.dropColumns('missed_webhooks', 'missed_webhooks_at');
  });
}
