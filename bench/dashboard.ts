// npm run bench:dashboard — the Overview page's server time at 1,000,000 clicks (the reports benchmark's data set),
// beside the JSON report it draws on (its baseline in the same run), and the bytes a first visit transfers, gzipped.
//   BENCH_CLICKS=1000000     clicks to seed   BENCH_REQUESTS=200     page requests timed
import { request } from 'node:http';
import { knexConfig, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { Accounts } from '../src/accounts/accounts.js';
import { Sessions } from '../src/accounts/sessions.js';
import { SignInThrottle } from '../src/accounts/sign-in-throttle.js';
import { benchDatabase, startService } from './support/processes.js';
import { CONVERSIONS, seedClicks, seedConversions, seedWorkspace, vacuumAnalyze, type SampledClick } from './support/report-seed.js';

const CLICKS = Number(process.env.BENCH_CLICKS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const PASSWORD = 'benchmark password 0123';

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

/** One GET as a browser sends it: the bytes on the wire (gzip if the server chose it) and the time to the last byte. */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: number; ms: number; body: string; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    request(url, { headers: { 'accept-encoding': 'gzip, deflate, br', ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: response.statusCode!, bytes: raw.length, ms: performance.now() - started, body: response.headers['content-encoding'] ? '' : raw.toString('utf8'), encoding: response.headers['content-encoding'] });
      });
      response.on('error', reject);
    }).on('error', reject).end();
  });
}

async function timed(url: string, headers: Record<string, string>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 10; i++) await get(url, headers); // warm-up: JIT, plans, caches
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const reply = await get(url, headers);
    if (reply.status !== 200) throw new Error(`${url} → ${reply.status}`);
    times.push(reply.ms);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function main(): Promise<void> {
  const database = await benchDatabase();
  const db = openDatabase(await knexConfig({ databaseUrl: database.url, dataDir: '' }));
  try {
    await migrateToLatest(db);
    const seed = await seedWorkspace(db);
    const sample: SampledClick[] = [];
    const clickSeconds = await seedClicks(db, seed, CLICKS, sample);
    const saleSeconds = await seedConversions(db, seed, sample);
    await vacuumAnalyze(db, database.url);
    console.log(`seeded ${CLICKS.toLocaleString()} clicks in ${clickSeconds.toFixed(0)} s and ${CONVERSIONS.toLocaleString()} conversions in ${saleSeconds.toFixed(0)} s`);

    // A person of the workspace, signed in the way the dashboard signs people in: a one-time link, a password, a session.
    const accounts = new Accounts({ db, publicUrl: 'http://bench', sessions: new Sessions({ db }), throttle: new SignInThrottle({ db }) });
    const { password_link: link } = await accounts.createUser('bench@example.com', seed.workspaceId);
    const { token } = await accounts.setPasswordByLink(new URL(link).searchParams.get('token')!, PASSWORD);

    const service = await startService(database.url);
    try {
      const cookie = { cookie: `syx_session=${token}` };
      const overview = await timed(`${service.url}/app`, cookie);
      const report = await timed(`${service.url}/api/reports?group_by=campaign&interval=30d`, { authorization: `Bearer ${seed.key}` });

      // A first visit: the page and every asset it names, nothing cached, as transferred (gzip where the server chose it).
      const page = await get(`${service.url}/app`, { ...cookie, 'accept-encoding': 'identity' });
      const assets = [...page.body.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
      const transfers = [await get(`${service.url}/app`, cookie), ...(await Promise.all(assets.map((path) => get(`${service.url}${path}`, {}))))];
      const names = ['/app (HTML)', ...assets];
      const total = transfers.reduce((sum, transfer) => sum + transfer.bytes, 0);

      console.log(`\nOverview at ${CLICKS.toLocaleString()} clicks, ${CONVERSIONS.toLocaleString()} conversions, PostgreSQL: ${REQUESTS} requests each`);
      console.log(`  GET /app (Overview page, signed in)          p50 ${overview.p50.toFixed(1)} ms   p99 ${overview.p99.toFixed(1)} ms`);
      console.log(`  GET /api/reports campaign 30d (baseline)     p50 ${report.p50.toFixed(1)} ms   p99 ${report.p99.toFixed(1)} ms   page / report p50: ${(overview.p50 / report.p50).toFixed(2)}`);
      console.log('\nfirst visit, bytes transferred');
      transfers.forEach((transfer, index) => console.log(`  ${names[index].padEnd(44)} ${String(transfer.bytes).padStart(8)} B  ${transfer.encoding ?? 'identity'}`));
      console.log(`  ${'total'.padEnd(44)} ${String(total).padStart(8)} B  (${(total / 1024).toFixed(1)} KB)`);
      console.log('\ngoals');
      console.log(`  Overview p50 ${overview.p50.toFixed(1)} ms   goal ≤ 80 ms     ${overview.p50 <= 80 ? 'PASS' : 'FAIL'}`);
      console.log(`  first visit ${(total / 1024).toFixed(1)} KB gzipped   goal ≤ 150 KB   ${total <= 150 * 1024 ? 'PASS' : 'FAIL'}`);
      console.log(JSON.stringify({ bench: 'dashboard', clicks: CLICKS, overview, report, first_visit_bytes: total }));
    } finally {
      await service.stop();
    }
  } finally {
    await db.destroy();
    await database.drop();
  }
}

await main();
