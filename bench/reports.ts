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
import { createLogger } from '../src/logger.js';
import { ClickIds } from '../src/clicks/click-id.js';
import { ClickWriter } from '../src/clicks/click-writer.js';
import { recordSales, saleRow } from '../src/conversions/sale-batch.js';
import { createWorkspace } from '../src/workspaces/workspaces.js';
import { newId } from '../src/ids.js';
import { addDays, startOfLocalDay } from '../src/time.js';
import { SERVICE_SECRET, benchDatabase, startService, type Child } from './support/processes.js';

const EMBEDDED = process.env.BENCH_DATABASE === 'embedded';
const STEPS = (process.env.BENCH_CLICKS ?? (EMBEDDED ? '1000000' : '1000000,5000000')).split(',').map(Number);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const CONVERSIONS = 50_000;
const CAMPAIGNS = 20;
const LINKS_PER_CAMPAIGN = 10;
const DAYS = 180;
const CURRENCIES = ['USD', 'EUR', 'GBP'];
const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'RO', 'FR', 'IN', null];
const REFERRERS = ['https://www.google.com/', 'https://news.ycombinator.com/item?id=1', 'https://t.co/x', 'https://www.reddit.com/r/x', null, null];
const NOW = Date.now();

/** The reports measured, each under both attribution models. */
const REPORTS = [
  { name: 'total 30d', query: 'group_by=total&interval=30d' },
  { name: 'campaign 90d', query: 'group_by=campaign&interval=90d' },
  { name: 'link all', query: 'group_by=link&interval=all' },
  { name: 'day 90d Bucharest', query: 'group_by=day&interval=90d&timezone=Europe/Bucharest' },
];

interface Seed {
  workspaceId: string;
  key: string;
  links: { id: string; campaign_id: string }[];
  sources: string[];
}

let state = 42;
/** mulberry32, seeded, so two runs seed the same data (32-bit arithmetic: a float LCG here degenerates to a short cycle). */
function rand(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)];

async function seedWorkspace(db: Knex): Promise<Seed> {
  const { workspace, api_key: key } = await createWorkspace('Reports benchmark');
  await db('workspaces').where({ id: workspace.id }).update({ created_at: new Date(NOW - (DAYS + 5) * 86_400_000) });
  const links: Seed['links'] = [];
  for (let c = 0; c < CAMPAIGNS; c++) {
    const campaign = { id: newId('cmp'), workspace_id: workspace.id, name: `Campaign ${c + 1}`, destination_url: 'https://shop.example.com/' };
    await db('campaigns').insert(campaign);
    for (let l = 0; l < LINKS_PER_CAMPAIGN; l++) {
      const link = { id: newId('lnk'), workspace_id: workspace.id, campaign_id: campaign.id, slug: `c${c}-l${l}-${newId('s').slice(-6)}` };
      await db('links').insert(link);
      links.push({ id: link.id, campaign_id: campaign.id });
    }
  }
  const sources = ['stripe', 'polar', 'stripe'].map((provider) => ({ id: newId('src'), workspace_id: workspace.id, provider, mode: 'api_key', status: 'active' }));
  await db('sources').insert(sources);
  const spend = [];
  for (const campaign of new Set(links.map((link) => link.campaign_id))) {
    for (let day = 0; day < DAYS; day++) {
      spend.push({ workspace_id: workspace.id, campaign_id: campaign, day: new Date(NOW - day * 86_400_000).toISOString().slice(0, 10), currency: pick(CURRENCIES), amount: 1_000 + Math.floor(rand() * 20_000) });
    }
  }
  for (let i = 0; i < spend.length; i += 1_000) await db('campaign_spend').insert(spend.slice(i, i + 1_000)).onConflict(['workspace_id', 'campaign_id', 'day', 'currency']).ignore();
  return { workspaceId: workspace.id, key, links, sources: sources.map((source) => source.id) };
}

interface SampledClick {
  id: string;
  linkId: string;
  campaignId: string;
  first: { id: string; linkId: string; campaignId: string; country: string | null; referrer: string | null };
  country: string | null;
  referrer: string | null;
  at: number;
}

/**
 * Clicks through the service's own click writer (COPY, and the report tables in the same transaction), 10,000
 * to a batch: the bulk load takes the path every click takes. A fifth of the clicks continue a visitor's chain.
 */
async function seedClicks(db: Knex, seed: Seed, count: number, sample: SampledClick[]): Promise<number> {
  const started = Date.now();
  const writer = new ClickWriter({ db, logger: createLogger('warn'), secret: SERVICE_SECRET }, { batchSize: 10_000, maxPending: 50_000 });
  const clickIds = new ClickIds(SERVICE_SECRET);
  const recent: SampledClick[] = [];
  for (let i = 0; i < count; i++) {
    const link = pick(seed.links);
    const at = NOW - Math.floor(rand() * DAYS * 86_400_000);
    const id = clickIds.mint(link.id, at);
    const country = pick(COUNTRIES);
    const referrer = pick(REFERRERS);
    const chained = recent.length > 0 && rand() < 0.2 ? pick(recent) : null;
    const first = chained ? chained.first : { id, linkId: link.id, campaignId: link.campaign_id, country, referrer: referrer && new URL(referrer).hostname.replace(/^www\./, '') };
    writer.record({ id, linkId: link.id, workspaceId: seed.workspaceId, campaignId: link.campaign_id, firstClickId: chained ? first.id : null, at: new Date(at), ip: null, userAgent: 'Mozilla/5.0 (bench)', referer: referrer, country });
    const click = { id, linkId: link.id, campaignId: link.campaign_id, first, country, referrer: referrer && new URL(referrer).hostname.replace(/^www\./, ''), at };
    if (recent.length < 1_000) recent.push(click);
    else recent[Math.floor(rand() * recent.length)] = click;
    if (sample.length < CONVERSIONS * 2) sample.push(click);
    else if (rand() < 0.01) sample[Math.floor(rand() * sample.length)] = click;
    if (writer.pendingCount >= 40_000) await writer.flush();
  }
  while (writer.pendingCount > 0) await writer.flush();
  return (Date.now() - started) / 1000;
}

/** Sales through the sale rule itself (syx_record_sales), 500 to a call; then 10% refunded and some disputed in place. */
async function seedConversions(db: Knex, seed: Seed, sample: SampledClick[]): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < CONVERSIONS; i += 500) {
    const rows = sample.slice(i, i + 500).map((click) => {
      const soldAt = Math.min(NOW - 1_000, click.at + Math.floor(rand() * 3 * 86_400_000));
      const orderId = `pi_bench_${newId('o')}`;
      return saleRow({
        source: { id: pick(seed.sources), workspace_id: seed.workspaceId },
        provider: 'stripe',
        event: { id: `evt_${orderId}`, type: 'checkout.session.completed' },
        order: {
          orderId, refs: [orderId], amount: 1_000 + Math.floor(rand() * 49_000), currency: pick(CURRENCIES), clickId: click.id, clientReferenceId: null,
          customerId: null, couponCodes: [], couponLookup: null, paymentLookup: null, renewal: false, initialSubscriptionPayment: false,
          refundedAmount: null, occurredAt: new Date(soldAt),
        },
        goal: 'purchase',
        attribution: {
          outcome: 'attributed', attribution: 'metadata', detail: 'bench',
          campaign_id: click.campaignId, link_id: click.linkId, click_id: click.id,
          first_campaign_id: click.first.campaignId, first_link_id: click.first.linkId, first_click_id: click.first.id,
          country: click.country, referrer_host: click.referrer, first_country: click.first.country, first_referrer_host: click.first.referrer,
        },
        note: '',
      });
    });
    await recordSales(db, rows);
  }
  // As refunds and lost disputes leave them: each touched sale changed once, in place.
  await db.raw(`UPDATE conversions SET refunded_amount = CASE WHEN r < 0.05 THEN amount ELSE amount / 2 END,
                   status = CASE WHEN r < 0.05 THEN 'refunded' ELSE 'partially_refunded' END
                  FROM (SELECT id AS target, random() AS r FROM conversions WHERE workspace_id = ?) AS pick
                 WHERE id = pick.target AND pick.r < 0.1`, [seed.workspaceId]);
  await db.raw(`UPDATE conversions SET disputed_amount = amount, status = 'disputed'
                 WHERE workspace_id = ? AND refunded_amount = 0 AND right(id, 2) = '00'`, [seed.workspaceId]);
  return (Date.now() - started) / 1000;
}

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
      await db.raw('VACUUM ANALYZE'); // what autovacuum does for a live database: statistics, and no dead rows from the seeding's updates
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
