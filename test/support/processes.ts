import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDatabase } from './hooks.js';
import { Api } from './http.js';
import { ADMIN_TOKEN } from './service.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Fixed secrets, so a restarted process accepts what the one before it issued and stored. */
export const PROCESS_SECRET = 'process-test-secret-0123456789abcdef';
export const PROCESS_ENCRYPTION_KEY = Buffer.alloc(32, 3).toString('base64');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Where a service process keeps its data: the run's PostgreSQL database, or a new embedded data dir of its own.
 * Pass the same object to a second process to restart on the same data.
 */
export function databaseEnv(prefix = 'syx-process-'): Record<string, string> {
  const url = testDatabase().url;
  return url ? { DATABASE_URL: url } : { SYX_DATA_DIR: mkdtempSync(join(tmpdir(), prefix)) };
}

export interface ServiceProcess {
  child: ChildProcess;
  api: Api;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Everything it wrote to stdout and stderr so far (pino JSON lines at SYX_LOG_LEVEL=info unless told). */
  output(): string;
  /** Its exit code once it has exited (null when a signal ended it). */
  exit: Promise<number | null>;
  /** How it ended, or null while it runs. */
  status(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** SIGKILL (kill -9): no handler runs, nothing is flushed. Resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM, then its exit code; SIGKILL if it is still running after graceMs. */
  stop(graceMs?: number): Promise<number | null>;
}

const running = new Set<ChildProcess>();
// A test that fails between start and stop must not leave a service running after mocha exits.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * The real service in its own process (`node --import tsx src/main.ts`, cwd the repository), with the fixed
 * admin token and secrets, listening on 127.0.0.1:PORT (a free port unless env.PORT names one, e.g. to restart
 * on the port of a process that is gone). Resolves once GET /healthz answers 200; a process that exits or does
 * not become healthy within startTimeoutMs is killed and reported with its output.
 */
export async function startProcess(env: Record<string, string>, options: { startTimeoutMs?: number } = {}): Promise<ServiceProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      SYX_ADMIN_TOKEN: ADMIN_TOKEN,
      SYX_SECRET: PROCESS_SECRET,
      SYX_ENCRYPTION_KEY: PROCESS_ENCRYPTION_KEY,
      SYX_LOG_LEVEL: 'info',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  let status: ReturnType<ServiceProcess['status']> = null;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      status = { code, signal };
      running.delete(child);
      resolve(code);
    }),
  );
  const kill9 = async () => {
    if (!status) child.kill('SIGKILL');
    await exit;
  };
  const url = `http://127.0.0.1:${port}`;
  const api = new Api(url);
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  for (;;) {
    if (status) throw new Error(`the service exited (${JSON.stringify(status)}) before it was healthy:\n${output}`);
    if ((await api.get('/healthz').catch(() => null))?.status === 200) break;
    if (Date.now() > deadline) {
      await kill9();
      throw new Error(`the service was not healthy within ${options.startTimeoutMs ?? 120_000} ms:\n${output}`);
    }
    // Frequent polls: a restart's time is measured up to the first 200.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    child,
    api,
    url,
    port,
    output: () => output,
    exit,
    status: () => status,
    kill9,
    async stop(graceMs = 30_000) {
      if (status) return status.code;
      child.kill('SIGTERM');
      const timer = setTimeout(() => void kill9(), graceMs);
      return exit.finally(() => clearTimeout(timer));
    },
  };
}

/** The JSON log lines (pino) a process wrote. */
export function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}
