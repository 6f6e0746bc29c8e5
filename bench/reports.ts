// npm run bench:reports — ROI report latency at 1M and then 5M human clicks (50,000 conversions, 20 campaigns,
// 200 links, 3 currencies, 180 days, 10% refunded, some disputes), on PostgreSQL (or BENCH_DATABASE=embedded), beside
// the same reports computed by a plain GROUP BY over the raw tables in the same run, whose numbers must be equal.
//   BENCH_CLICKS=1000000,5000000   the click counts to measure at (each step adds clicks to the one before)
//   BENCH_REQUESTS=200             requests per report and model
//   BENCH_DATABASE=embedded        seed and serve an embedded (PGlite) database instead (no goal; 1M by default)
//   BENCH_KEEP_DATABASE=1          keep the PostgreSQL database afterwards, to look at its plans
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { knexConfig, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { addDays, startOfLocalDay } from '../src/time.js';
import { benchDatabase, startService, type Child } from './support/processes.js';
import { CONVERSIONS, seedClicks, seedConversions, seedWorkspace, vacuumAnalyze, type SampledClick, type Seed } from './support/report-seed.js';

const EMBEDDED = process.env.BENCH_DATABASE === 'embedded';
const STEPS = (process.env.BENCH_CLICKS ?? (EMBEDDED ? '1000000' : '1000000,5000000')).split(',').map(Number);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
/** The reports measured, each under both attribution models. */
const REPORTS = [
  { name: 'total 30d', query: 'group_by=total&interval=30d' },
  { name: 'campaign 90d', query: 'group_by=campaign&interval=90d' },
  { name: 'link all', query: 'group_by=link&interval=all' },
  { name: 'day 90d Bucharest', query: 'group_by=day&interval=90d&timezone=Europe/Bucharest' },
];

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

async function timeReports(service: Child, seed: Seed): Promise<Map<string, { p50: number; p99: number; body: any }>> {
  const results = new Map<string, { p50: number; p99: number; body: any }>();
  for (const report of REPORTS) {
    for (const model of ['last_click', 'first_click']) {
      const url = `${service.url}/api/reports?${report.query}&model=${model}`;
      const get = async () => {
        const started = performance.now();
        const reply = await fetch(url, { headers: { authorization: `Bearer ${seed.key}` } });
        const body = await reply.json();
        if (reply.status !== 200) throw new Error(`${url} → ${reply.status} ${JSON.stringify(body)}`);
        return { ms: performance.now() - started, body };
      };
      for (let i = 0; i < 10; i++) await get(); // warm-up: JIT, plans, caches
      const times: number[] = [];
      let body: any;
      for (let i = 0; i < REQUESTS; i++) ({ ms: times[i], body } = await get());
      results.set(`${report.name} ${model}`, { p50: percentile(times, 50), p99: percentile(times, 99), body });
    }
  }
  return results;
}

/**
 * The baseline: the same report by a plain GROUP BY over the raw clicks and conversions (and spend), timed, and its
 * numbers compared with the service's. Returns the baseline's median time and whether every number agreed.
 */
async function baseline(db: Knex, seed: Seed, model: string, body: any): Promise<{ ms: number; equal: boolean; detail: string }> {
  const tz = body.timezone as string;
  const start = startOfLocalDay(body.from, tz);
  const end = startOfLocalDay(addDays(body.to, 1), tz);
  const group = body.group_by as string;
  const clickKey = group === 'campaign' ? 'c.campaign_id' : group === 'link' ? 'c.link_id' : group === 'day' ? `to_char(c.created_at AT TIME ZONE '${tz}', 'YYYY-MM-DD')` : 'NULL';
  const first = model === 'first_click';
  const saleKey = group === 'campaign' ? (first ? 'first_campaign_id' : 'campaign_id') : group === 'link' ? (first ? 'first_link_id' : 'link_id')
    : group === 'day' ? `to_char(sold_at AT TIME ZONE '${tz}', 'YYYY-MM-DD')` : 'NULL';
  const times: number[] = [];
  let clicks: any[] = [];
  let sales: any[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    [{ rows: clicks }, { rows: sales }] = await Promise.all([
      db.raw(`SELECT ${clickKey} AS key, count(*)::bigint AS clicks FROM clicks c WHERE c.workspace_id = ? AND c.created_at >= ? AND c.created_at < ? GROUP BY 1`, [seed.workspaceId, start, end]),
      db.raw(`SELECT ${saleKey} AS key, currency, count(*)::bigint AS n, sum(greatest(0, amount - refunded_amount - disputed_amount))::bigint AS net
              FROM conversions WHERE workspace_id = ? AND sold_at >= ? AND sold_at < ? GROUP BY 1, 2`, [seed.workspaceId, start, end]),
    ]);
    times.push(performance.now() - started);
  }
  const rows = new Map<string | null, any>(body.rows.map((row: any) => [row.key, row]));
  const problems: string[] = [];
  for (const row of clicks) if (Number(rows.get(row.key)?.clicks ?? 0) !== Number(row.clicks)) problems.push(`clicks of ${row.key}: ${rows.get(row.key)?.clicks} ≠ ${row.clicks}`);
  const clickTotal = clicks.reduce((sum, row) => sum + Number(row.clicks), 0);
  if (body.totals.clicks !== clickTotal) problems.push(`total clicks ${body.totals.clicks} ≠ ${clickTotal}`);
  for (const row of sales) if ((rows.get(row.key)?.net?.[row.currency] ?? 0) !== Number(row.net)) problems.push(`net ${row.currency} of ${row.key}: ${rows.get(row.key)?.net?.[row.currency]} ≠ ${row.net}`);
  const conversions = sales.reduce((sum, row) => sum + Number(row.n), 0);
  if (body.totals.conversions !== conversions) problems.push(`conversions ${body.totals.conversions} ≠ ${conversions}`);
  return { ms: percentile(times, 50), equal: problems.length === 0, detail: problems.slice(0, 3).join('; ') };
}

async function main(): Promise<void> {
  const database = EMBEDDED ? null : await benchDatabase();
  const dataDir = EMBEDDED ? mkdtempSync(join(tmpdir(), 'syx-bench-reports-')) : null;
  const settings = await knexConfig({ databaseUrl: database?.url ?? null, dataDir: dataDir ?? '' });
  let db = openDatabase(settings);
  const summary: Record<string, unknown>[] = [];
  try {
    await migrateToLatest(db);
    const seed = await seedWorkspace(db);
    const sample: SampledClick[] = [];
    let seeded = 0;
    let conversionsSeeded = false;
    for (const step of STEPS) {
      const seconds = await seedClicks(db, seed, step - seeded, sample);
      console.log(`seeded ${(step - seeded).toLocaleString()} clicks in ${seconds.toFixed(0)} s (${Math.round((step - seeded) / seconds).toLocaleString()}/s, through the click writer)`);
      seeded = step;
      if (!conversionsSeeded) {
        const conversionSeconds = await seedConversions(db, seed, sample);
        console.log(`seeded ${CONVERSIONS.toLocaleString()} conversions in ${conversionSeconds.toFixed(0)} s (through syx_record_sales), 10% refunded, 1% of the rest disputed`);
        conversionsSeeded = true;
      }
      await vacuumAnalyze(db, database?.url ?? null);
      let service: Child;
      if (EMBEDDED) {
        await db.destroy(); // the embedded database serves one process: hand it to the service
        rmSync(join(dataDir!, 'synaptyx.pid'), { force: true });
        service = await startService('', { env: { DATABASE_URL: '', SYX_DATA_DIR: dataDir! } });
      } else {
        service = await startService(database!.url);
      }
      try {
        const results = await timeReports(service, seed);
        if (EMBEDDED) await service.stop();
        if (EMBEDDED) db = openDatabase(await knexConfig({ databaseUrl: null, dataDir: dataDir! }));
        console.log(`\n${seeded.toLocaleString()} clicks, ${CONVERSIONS.toLocaleString()} conversions, ${EMBEDDED ? 'embedded' : 'PostgreSQL'}: ${REQUESTS} requests each`);
        console.log(`${'report'.padEnd(36)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}   plain GROUP BY (p50 of 5)   numbers equal`);
        for (const [name, result] of results) {
          const model = name.slice(name.lastIndexOf(' ') + 1);
          const check = await baseline(db, seed, model, result.body);
          console.log(`${name.padEnd(36)} ${`${result.p50.toFixed(1)} ms`.padStart(8)} ${`${result.p99.toFixed(1)} ms`.padStart(8)}   ${`${check.ms.toFixed(0)} ms`.padStart(10)}                  ${check.equal ? 'yes' : `NO: ${check.detail}`}`);
          summary.push({ clicks: seeded, report: name, p50: Number(result.p50.toFixed(1)), p99: Number(result.p99.toFixed(1)), baseline_ms: Math.round(check.ms), equal: check.equal });
        }
      } finally {
        if (!EMBEDDED) await service.stop();
      }
    }
    printGoals(summary);
    console.log(JSON.stringify({ bench: 'reports', database: EMBEDDED ? 'embedded' : 'postgresql', results: summary }));
  } finally {
    await db.destroy().catch(() => {});
    if (process.env.BENCH_KEEP_DATABASE && database) console.log(`kept ${database.url}`);
    else await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

function printGoals(summary: Record<string, any>[]): void {
  if (EMBEDDED) return;
  const at = (clicks: number) => summary.filter((row) => row.clicks === clicks);
  const [first, last] = [STEPS[0], STEPS[STEPS.length - 1]];
  const worstP50 = Math.max(...at(first).map((row) => row.p50));
  const worstP99 = Math.max(...at(first).map((row) => row.p99));
  console.log(`\ngoals at ${first.toLocaleString()} clicks`);
  console.log(`  worst p50   ${worstP50} ms   goal ≤ 50 ms    ${worstP50 <= 50 ? 'PASS' : 'FAIL'}`);
  console.log(`  worst p99   ${worstP99} ms   goal ≤ 200 ms   ${worstP99 <= 200 ? 'PASS' : 'FAIL'}`);
  if (last !== first) {
    const ratios = at(first).map((row) => at(last).find((other) => other.report === row.report)!.p50 / row.p50);
    const worst = Math.max(...ratios);
    console.log(`  p50 at ${last.toLocaleString()} / p50 at ${first.toLocaleString()}, worst report: ${worst.toFixed(2)}   goal ≤ 1.5   ${worst <= 1.5 ? 'PASS' : 'FAIL'}`);
  }
  console.log(`  numbers equal to the plain GROUP BY: ${summary.every((row) => row.equal) ? 'yes, every report' : 'NO'}`);
}

await main();
