import type { Knex } from 'knex';

// When each background job last started on any instance: a scheduled run claims its interval here, so many
// instances run each job once per interval, not once per instance.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('job_runs', (table) => {
    table.text('name').primary();
    table.timestamp('started_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('job_runs');
}
