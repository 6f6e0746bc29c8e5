import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BROWSER_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
export const ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;
// Generated per bench run; a restarted service gets the same ones, so it accepts the click ids it issued before.
export const SERVICE_SECRET = randomBytes(32).toString('base64url');
const ENCRYPTION_KEY = randomBytes(32).toString('base64');

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
  /** The last 64 kB of its stdout and stderr. */
  output: () => string;
  /** Null while it runs; its exit code, or the signal that ended it. */
  exit: () => { code: number | null; signal: NodeJS.Signals | null } | null;
  /** SIGTERM, then its exit code once it has exited (null if a signal ended it, or it outlived graceMs and was killed). */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL if still running; resolves once it is gone. */
  kill(): Promise<void>;
}

function track(child: ChildProcess, url: string): Child {
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk).slice(-65_536));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exit: ReturnType<Child['exit']> = null;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(code);
    }),
  );
  const kill = async () => {
    if (!exit) child.kill('SIGKILL');
    await exited;
  };
  return {
    process: child,
    url,
    output: () => output,
    exit: () => exit,
    async stop(graceMs = 30_000) {
      if (exit) return exit.code;
      child.kill('SIGTERM');
      const timer = setTimeout(() => void kill(), graceMs);
      return exited.finally(() => clearTimeout(timer));
    },
    kill,
  };
}

let built = false;

/** Node flags from `npm start`, so the benchmark runs the service exactly as operators do. */
function startFlags(): string[] {
  const start: string = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).scripts.start;
  return start.split(/\s+/).filter((word) => word.startsWith('--'));
}

export interface ServiceOptions {
  /** `node --import tsx src/main.ts` instead of the build `npm start` runs (`dist/src/main.js`). */
  fromSource?: boolean;
  env?: Record<string, string>;
}

/** The real service as a child process on the given database, once /healthz answers. */
export async function startService(databaseUrl: string, options: ServiceOptions = {}): Promise<Child> {
  let entry = ['--import', 'tsx', 'src/main.ts'];
  if (!options.fromSource) {
    if (!built) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    built = true;
    entry = [...startFlags(), 'dist/src/main.js'];
  }
  const port = await freePort();
  // BENCH_NODE_FLAGS adds flags for a look inside, e.g. --cpu-prof.
  const extraFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...extraFlags, ...entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SYX_PUBLIC_URL: `http://127.0.0.1:${port}`,
      SYX_ADMIN_TOKEN: ADMIN_TOKEN,
      SYX_SECRET: SERVICE_SECRET,
      SYX_ENCRYPTION_KEY: ENCRYPTION_KEY,
      SYX_LOG_LEVEL: 'warn',
      ...options.env,
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

/** Polls until the url answers below 500; a child that exits or never answers is killed and reported. */
async function waitFor(url: string, child: Child): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exit()) throw new Error(`process exited early (${JSON.stringify(child.exit())}):\n${child.output()}`);
    const ok = await fetch(url).then((reply) => reply.status < 500, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await child.kill();
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

export async function get(url: string, token: string): Promise<any> {
  const reply = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (reply.status >= 300) throw new Error(`GET ${url} → ${reply.status} ${await reply.text()}`);
  return reply.json();
}

export async function post(url: string, body: unknown, token: string): Promise<any> {
  const reply = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (reply.status >= 300) throw new Error(`POST ${url} → ${reply.status} ${await reply.text()}`);
  return reply.json();
}

/** CPU time (user + system) a process has used so far, in seconds; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): state is field 3, utime 14 and stime 15, in clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU time every PostgreSQL process on this machine has used so far, in seconds (the server is local). */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuSeconds(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

/** Starts counting CPU: the server's, PostgreSQL's and this process's (the load generator's), in seconds. */
export function cpuMeter(serverPid: number): () => { server: number; postgres: number; load: number } {
  const server = cpuSeconds(serverPid);
  const postgres = postgresCpuSeconds();
  const own = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(own);
    return {
      server: cpuSeconds(serverPid) - server,
      postgres: postgresCpuSeconds() - postgres,
      load: (used.user + used.system) / 1e6,
    };
  };
}
