import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createService } from './service.js';

let config;
let logger;
let service;
try {
  config = loadConfig();
  logger = createLogger(config.logLevel);
  service = await createService(config, { logger });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
await service.listen();
logger.info(
  { url: config.publicUrl, port: config.port, database: config.databaseUrl ? 'postgresql' : `embedded (${config.dataDir})` },
  'synaptyx is listening',
);
const setupLink = await service.accounts.setupLinkIfNeeded();
if (setupLink) {
  console.log(`\nNo one can sign in yet. Create the first account (this link works once): ${setupLink}\n`);
}
if (config.generatedAdminToken) {
  console.log(`\nAdmin token (kept in ${config.dataDir}/secrets.json): ${config.adminToken}`);
  console.log(`Create a workspace: curl -X POST ${config.publicUrl}/api/workspaces -H "Authorization: Bearer ${config.adminToken}" -H 'Content-Type: application/json' -d '{"name":"Acme"}'\n`);
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, pending_clicks: service.clickWriter.pendingCount }, 'stopping: flushing clicks');
    try {
      await service.stop();
      logger.info({ written: service.clickWriter.written }, 'stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'stopping failed');
      process.exit(1);
    }
  });
}
