import type { Knex } from 'knex';

// Lemon Squeezy and Paddle Billing become revenue sources beside Stripe and Polar.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE sources DROP CONSTRAINT sources_provider_check');
  await knex.raw(`ALTER TABLE sources ADD CONSTRAINT sources_provider_check CHECK (provider IN ('stripe', 'polar', 'lemonsqueezy', 'paddle'))`);
}

/** Refused while a Lemon Squeezy or Paddle source exists: disconnecting one keeps its row and its conversions. */
export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE sources DROP CONSTRAINT sources_provider_check');
  await knex.raw(`ALTER TABLE sources ADD CONSTRAINT sources_provider_check CHECK (provider IN ('stripe', 'polar'))`);
}
