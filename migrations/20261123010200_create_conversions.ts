import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('conversions', (table) => {
    table.text('id').primary();
    table.text('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    table.text('source_id').references('sources.id').onDelete('CASCADE');
    table.text('campaign_id');
    table.text('link_id');
    table.text('click_id');
    table.text('goal').notNullable();
    table.text('provider_order_id').notNullable();
    table.text('customer_id');
    table.bigInteger('amount').notNullable();
    table.bigInteger('refunded_amount').notNullable().defaultTo(0);
    table.bigInteger('disputed_amount').notNullable().defaultTo(0);
    table.text('currency').notNullable();
    table.text('status').notNullable().defaultTo('paid');
    table.text('attribution');
    // What the provider told us, kept so every change is recomputed from cumulative figures.
    table.bigInteger('reported_refunded_amount').notNullable().defaultTo(0);
    table.jsonb('refunds').notNullable().defaultTo('{}');
    table.jsonb('disputes').notNullable().defaultTo('{}');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['workspace_id', 'id']);
    table.index(['source_id', 'customer_id']);
    table.index('campaign_id');
    table.index('link_id');
  });
  // One sale per canonical payment: per source, or per workspace for server-to-server conversions.
  await knex.raw(
    `CREATE UNIQUE INDEX conversions_order_unique ON conversions (workspace_id, coalesce(source_id, ''), provider_order_id)`,
  );
  await knex.raw(`ALTER TABLE conversions ADD CONSTRAINT conversions_amounts_check
    CHECK (amount >= 0 AND refunded_amount >= 0 AND disputed_amount >= 0)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('conversions');
}
