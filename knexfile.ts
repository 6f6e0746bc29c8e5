// For knex's own CLI and tools; the service itself migrates at start and through `npm run migrate`.
import { loadConfig } from './src/config.js';
import { knexConfig } from './src/db/database.js';

export default { ...(await knexConfig(loadConfig())), migrations: { directory: './migrations', extension: 'ts' } };
