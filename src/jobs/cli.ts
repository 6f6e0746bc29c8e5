import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createService } from '../service.js';

/**
 * `npm run jobs -- once`: runs every background job once (retention, token refresh, reconciliation, health) and
 * prints what each did. Each takes its advisory lock, so on PostgreSQL it is safe beside running instances (a
 * job another instance is running right now reports that it skipped); the embedded database serves one process,
 * so there it runs while the service is stopped.
 */
const usage = 'Usage: npm run --silent jobs -- once';

if (process.argv[2] !== 'once' || process.argv.length > 3) {
  console.error(usage);
  process.exit(1);
}

try {
  const config = loadConfig();
  const service = await createService(config, { logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel), startJobs: false });
  try {
    console.log(JSON.stringify(await service.jobs.runOnce(), null, 2));
  } finally {
    await service.stop();
  }
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
}
