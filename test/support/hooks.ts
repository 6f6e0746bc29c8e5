import { createTestDatabase, type TestDatabase } from './database.js';

let database: TestDatabase | null = null;

/** The run's shared database (see database.ts); each test builds its own rows in it. */
export function testDatabase(): TestDatabase {
  if (!database) throw new Error('the test database is created in the root beforeAll hook');
  return database;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    database = await createTestDatabase();
  },
  async afterAll() {
    await database?.drop();
  },
};
