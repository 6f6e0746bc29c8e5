import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Knex } from 'knex';

const directory = fileURLToPath(new URL('../../migrations/', import.meta.url));

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Loads migrations by importing them, so the same TypeScript files run on PostgreSQL and PGlite. */
class MigrationFolder implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return readdirSync(directory)
      .filter((name) => /^\d{14}_.+\.(ts|js)$/.test(name))
      .sort();
  }

  getMigrationName(name: string): string {
    return name.replace(/\.(ts|js)$/, '');
  }

  async getMigration(name: string): Promise<Migration> {
    return import(pathToFileURL(join(directory, name)).href);
  }
}

export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = await db.migrate.latest({ migrationSource: new MigrationFolder() });
  return applied;
}

export async function rollbackAll(db: Knex): Promise<void> {
  await db.migrate.rollback({ migrationSource: new MigrationFolder() }, true);
}
