import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createService, type Service, type ServiceOptions } from '../../src/service.js';
import { testDatabase } from './hooks.js';
import { Api } from './http.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Environment for a service under test: fixed secrets, silent logs, a throwaway data dir. */
export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    SYX_DATA_DIR: mkdtempSync(join(tmpdir(), 'syx-test-')),
    SYX_ADMIN_TOKEN: ADMIN_TOKEN,
    SYX_SECRET: 'test-secret-for-click-ids-0123456789abcdef',
    SYX_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SYX_LOG_LEVEL: 'silent',
    ...overrides,
  };
}

export interface RunningService {
  service: Service;
  config: Config;
  /** Base URL of the listening service, e.g. http://127.0.0.1:41234 */
  url: string;
  stop(): Promise<void>;
}

/** A service on the shared test database, listening on a free port of 127.0.0.1. */
export async function startService(
  env: Record<string, string | undefined> = {},
  options: ServiceOptions = {},
): Promise<RunningService> {
  const config = loadConfig(testEnv({ HOST: '127.0.0.1', ...env }));
  const service = await createService(config, {
    db: testDatabase().db,
    logger: createLogger(process.env.TEST_LOG ?? 'silent'),
    clickWriter: { flushIntervalMs: 10 },
    ...options,
  });
  // A test that must know its URL before start (SYX_PUBLIC_URL for OAuth callbacks in a real browser) names the port.
  const server = await service.listen(env.PORT ? Number(env.PORT) : 0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { service, config: service.config, url, stop: () => service.stop() };
}

/**
 * A service for the enclosing describe(): started before its tests, stopped after them. Read `suite.api` and
 * `suite.running` inside the tests (they exist once the before hook has run). `env` may be a function.
 */
export function useService(
  env: Record<string, string | undefined> | (() => Record<string, string | undefined>) = {},
): { running: RunningService; api: Api } {
  const suite = {} as { running: RunningService; api: Api };
  before(async () => {
    // A function is read when the suite starts: fake provider servers know their URLs only once listening.
    suite.running = await startService(typeof env === 'function' ? env() : env);
    suite.api = new Api(suite.running.url);
  });
  after(() => suite.running.stop());
  return suite;
}
