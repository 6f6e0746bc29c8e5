import { ConfigError, loadConfig } from '../config.js';
import { knexConfig, openDatabase } from './database.js';
import { migrateToLatest, rollbackAll } from './migrations.js';

try {
  const config = loadConfig();
  const db = openDatabase(await knexConfig(config));
  if (process.argv[2] === 'rollback') {
    await rollbackAll(db);
    console.log('Rolled back every migration.');
  } else {
    const applied = await migrateToLatest(db);
    console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Already up to date.');
  }
  await db.destroy();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
