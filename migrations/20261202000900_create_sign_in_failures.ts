import type { Knex } from 'knex';

// Failed sign-ins, kept 15 minutes: ten for one email or one address throttle further attempts on every instance.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sign_in_failures', (table) => {
    table.bigIncrements('id');
    table.text('email').notNullable();
    table.text('ip').notNullable();
    table.timestamp('failed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['email', 'failed_at']);
    table.index(['ip', 'failed_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sign_in_failures');
}
