import type { Knex } from 'knex';

/**
 * The rows a webhook writes no longer check their source and workspace by foreign key. Each check locks the
 * parent row FOR KEY SHARE; concurrent webhook batches all lock the same source row, and PostgreSQL turns
 * every such lock into a new MultiXact: about 100 µs of the database's CPU per sale (bench:webhooks: 257–307
 * µs per delivery before, 154–210 after). Sources and workspaces are never deleted (a DELETE disconnects a
 * source), and these rows are written only with the id of a source just read, so the keys guarded nothing
 * that happens. The link from a payment id to its conversion stays.
 */
const keys = [
  ['webhook_logs', 'source_id', 'sources'],
  ['webhook_events', 'source_id', 'sources'],
  ['customers', 'source_id', 'sources'],
  ['payment_refs', 'source_id', 'sources'],
  ['conversions', 'source_id', 'sources'],
  ['conversions', 'workspace_id', 'workspaces'],
] as const;

export async function up(knex: Knex): Promise<void> {
  for (const [table, column] of keys) await knex.schema.alterTable(table, (t) => t.dropForeign([column]));
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, column, parent] of keys) {
    await knex.schema.alterTable(table, (t) => t.foreign(column).references(`${parent}.id`).onDelete('CASCADE'));
  }
}
