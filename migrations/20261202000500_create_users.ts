import type { Knex } from 'knex';

// People who sign in to the dashboard. The password hash is empty until the person sets one by a one-time link.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (table) => {
    table.text('id').primary();
    table.text('email').notNullable();
    table.text('password_hash');
    table.timestamp('password_changed_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // One account per address, however it is typed.
  await knex.raw('CREATE UNIQUE INDEX users_email_unique ON users (lower(email))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
