import type { Knex } from 'knex';

// Which people belong to which workspace, and as what: an owner invites, a member works in it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('memberships', (table) => {
    table.text('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    table.text('user_id').notNullable().references('users.id').onDelete('CASCADE');
    table.text('role').notNullable().checkIn(['owner', 'member']);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['workspace_id', 'user_id']);
    table.index('user_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('memberships');
}
