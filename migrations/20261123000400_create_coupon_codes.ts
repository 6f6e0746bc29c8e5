import type { Knex } from 'knex';

// One row per code so that the database itself keeps codes unique per workspace, ignoring case.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('coupon_codes', (table) => {
    table.text('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    table.text('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    table.text('code').notNullable();
    table.integer('position').notNullable();
    table.index('campaign_id');
  });
  await knex.raw('CREATE UNIQUE INDEX coupon_codes_workspace_code_unique ON coupon_codes (workspace_id, upper(code))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('coupon_codes');
}
