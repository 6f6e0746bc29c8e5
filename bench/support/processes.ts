import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import autocannon from 'autocannon';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BROWSER_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
export const ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;
export const SERVICE_SECRET = 'bench-secret-for-click-ids-0123456789abcdef';
/** Requests per round: a fixed count, so every response is counted and can be matched with what was stored. */
export const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 150_000);
export const CONNECTIONS = 50;

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

/** A fresh PostgreSQL database inside DATABASE_URL's server, dropped by drop(). */
export async function benchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `syx_bench_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory.knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

export interface Child {
  process: ChildProcess;
  url: string;
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

function track(child: ChildProcess, url: string): Child {
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

let built = false;

/** Node flags from `npm start`, so the benchmark runs the service exactly as operators do. */
function startFlags(): string[] {
  const start: string = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).scripts.start;
  return start.split(/\s+/).filter((word) => word.startsWith('--'));
}

/** The real service as `npm start` runs it (built, `dist/src/main.js`) on the given database, once /healthz answers. */
export async function startService(databaseUrl: string, env: Record<string, string> = {}): Promise<Child> {
  if (!built) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  built = true;
  const port = await freePort();
  // BENCH_NODE_FLAGS adds flags for a look inside, e.g. --cpu-prof.
  const extraFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...startFlags(), ...extraFlags, 'dist/src/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SYX_ADMIN_TOKEN: ADMIN_TOKEN,
      SYX_SECRET: SERVICE_SECRET,
      SYX_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      SYX_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service = track(child, `http://127.0.0.1:${port}`);
  await waitFor(`${service.url}/healthz`, service);
  return service;
}

/** A bare Node server in its own process, from a script in bench/baselines/ given the port as argv. */
export async function startBaseline(script: string, args: string[] = []): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', `bench/baselines/${script}`, String(port), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const baseline = track(child, `http://127.0.0.1:${port}`);
  await waitFor(`${baseline.url}/ready`, baseline);
  return baseline;
}

async function waitFor(url: string, child: Child): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`process exited early:\n${child.output()}`);
    const ok = await fetch(url).then((reply) => reply.status < 500, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within 60 s:\n${child.output()}`);
}

/** Peak resident memory of a process, sampled every 200 ms until stopped. */
export function sampleRss(pid: number): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kb);
    } catch {
      // the process is gone
    }
  }, 200);
  return {
    stop() {
      clearInterval(timer);
      return peak / 1024;
    },
  };
}

export interface LoadResult {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  statusCounts: Record<string, number>;
  errors: number;
  total: number;
}

export async function load(label: string, options: autocannon.Options): Promise<LoadResult> {
  const started = performance.now();
  const result = await autocannon({ connections: CONNECTIONS, amount: REQUESTS, ...options });
  const seconds = (performance.now() - started) / 1000;
  const statusCounts: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = (stats as { count: number }).count;
  return {
    label,
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statusCounts,
    errors: result.errors + result.timeouts,
    total: Object.values(statusCounts).reduce((sum, count) => sum + count, 0),
  };
}

export function printRound(result: LoadResult): void {
  console.log(
    `${result.label.padEnd(22)} ${result.rps.toFixed(0).padStart(8)} req/s   p50 ${String(result.p50).padStart(3)} ms   p99 ${String(result.p99).padStart(3)} ms   statuses ${JSON.stringify(result.statusCounts)}${result.errors ? `   errors ${result.errors}` : ''}`,
  );
}

export const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

export async function post(url: string, body: unknown, token: string): Promise<any> {
  const reply = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (reply.status >= 300) throw new Error(`POST ${url} → ${reply.status} ${await reply.text()}`);
  return reply.json();
}
