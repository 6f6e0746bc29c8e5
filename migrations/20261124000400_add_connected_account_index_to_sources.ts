import type { Knex } from 'knex';

// A provider account is connected through the platform once: Connect events are routed by account id, and a
// deauthorization would cut every workspace that shared it. Disconnected sources keep their rows.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE UNIQUE INDEX sources_connected_account_unique ON sources (provider, account_id)
     WHERE mode = 'oauth' AND status <> 'disconnected'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX sources_connected_account_unique');
}
