import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, BROWSER_UA } from '../support/http.js';
import { ADMIN_TOKEN } from '../support/service.js';
import { testDatabase } from '../support/hooks.js';

const ROOT = new URL('../..', import.meta.url).pathname;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The real service in its own process, as `npm start` runs it, on the test database or an embedded one. */
async function startProcess(env: Record<string, string>): Promise<{ child: ChildProcess; api: Api; output: () => string; exit: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', SYX_ADMIN_TOKEN: ADMIN_TOKEN, SYX_SECRET: 'shutdown-test-secret-0123456789abcdef', SYX_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'), SYX_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const api = new Api(`http://127.0.0.1:${port}`);
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`the service exited:\n${output}`);
    if ((await api.get('/healthz').catch(() => null))?.status === 200) break;
    if (tries > 150) throw new Error(`the service did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, api, output: () => output, exit };
}

/** The JSON log lines (pino) the process wrote. */
function logLines(output: string): Record<string, unknown>[] {
  return output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

describe('SIGTERM', () => {
  it('writes every pending click before exiting 0; after a restart all are counted', async function () {
    this.timeout(90_000);
    const url = testDatabase().url;
    const database: Record<string, string> = url ? { DATABASE_URL: url } : { SYX_DATA_DIR: mkdtempSync(join(tmpdir(), 'syx-shutdown-')) };
    // Clicks stay queued (no timed flush) until the shutdown writes them.
    const first = await startProcess({ ...database, SYX_CLICK_FLUSH_MS: '600000' });
    let link: { id: string; slug: string };
    let key: string;
    try {
      ({ key } = await first.api.workspace());
      link = await first.api.link(key, (await first.api.campaign(key)).id);
      for (let batch = 0; batch < 6; batch++) {
        const replies = await Promise.all(Array.from({ length: 50 }, () => first.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } })));
        expect(replies.map((reply) => reply.status)).to.deep.equal(Array(50).fill(302));
      }
      expect((await first.api.get(`/api/links/${link.id}`, { key })).body.clicks).to.equal(0);
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exit, first.output()).to.equal(0);
    const stopping = logLines(first.output()).find((line) => line.msg === 'stopping: flushing clicks');
    expect(stopping, first.output()).to.include({ signal: 'SIGTERM', pending_clicks: 300 });
    expect(logLines(first.output()).find((line) => line.msg === 'stopped')).to.include({ written: 300 });

    const second = await startProcess(database);
    try {
      expect((await second.api.get(`/api/links/${link.id}`, { key })).body.clicks).to.equal(300);
    } finally {
      second.child.kill('SIGTERM');
      await second.exit;
    }
  });
});
