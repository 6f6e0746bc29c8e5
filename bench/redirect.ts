// npm run bench:redirect — the click path (GET /c/:slug) against a bare Node 302 server, alternating in the same run,
// on a fresh PostgreSQL database; then SIGTERM, restart, and check that every 302 the service sent left a click.
//   BENCH_SECONDS       seconds per round (default 10)
//   DATABASE_URL        the PostgreSQL server to create the bench database in (default postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_NODE_FLAGS    extra node flags for the service, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
//   BENCH_SERVICE       "dist" (default): the build `npm start` runs; "source": node --import tsx src/main.ts
// Exits 1 only when clicks were lost or the service crashed; missed performance goals print FAIL but exit 0.
import knexFactory from 'knex';
import { ADMIN_TOKEN, BROWSER_UA, benchDatabase, cpuMeter, get, post, sampleRss, startBaseline, startService, type Child } from './support/processes.js';
import { CONNECTIONS, load, mean, printRound, type LoadResult } from './support/load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
if (!(SECONDS > 0)) throw new Error(`BENCH_SECONDS must be a positive number (got ${process.env.BENCH_SECONDS})`);
const ROUNDS = 2;
// Each server first gets a short uncounted round: JIT, connection pools and PostgreSQL's caches warm up.
const WARM_UP_SECONDS = Math.min(3, SECONDS);
const GOALS = { ratio: 0.35, p99Ms: 10, rssMb: 200 };
const DESTINATION = 'https://shop.example.com/pricing?plan=pro#buy';
const SLUG = 'bench';
const FROM_SOURCE = process.env.BENCH_SERVICE === 'source';

const database = await benchDatabase();
const children: Child[] = [];
const cleanUp = async () => {
  await Promise.all(children.map((child) => child.kill()));
  await database.drop();
};
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

try {
  const baseline = await startBaseline('redirect-302.ts');
  children.push(baseline);
  const service = await startService(database.url, { fromSource: FROM_SOURCE });
  children.push(service);

  const { api_key: key } = await post(`${service.url}/api/workspaces`, { name: 'Bench' }, ADMIN_TOKEN);
  const campaign = await post(`${service.url}/api/campaigns`, { name: 'Bench', destination_url: DESTINATION }, key);
  const link = await post(`${service.url}/api/links`, { campaign_id: campaign.id, slug: SLUG }, key);

  console.log(
    `GET /c/${SLUG}: ${CONNECTIONS} connections, ${SECONDS} s per round, Chrome on macOS user agent, redirects not followed; ` +
      `service from ${FROM_SOURCE ? 'src/ via tsx' : 'dist/ (npm start)'}; database ${new URL(database.url).pathname.slice(1)}\n`,
  );
  const headers = { 'user-agent': BROWSER_UA };
  /** A round, with the CPU each side spent per request: where the time goes, on 2 shared cores. */
  const round = async (label: string, server: Child, seconds = SECONDS) => {
    const meter = cpuMeter(server.process.pid!);
    const result = await load(label, { url: `${server.url}/c/${SLUG}`, headers }, seconds);
    const used = meter();
    const perRequest = (cpu: number) => `${((cpu / result.total) * 1e6).toFixed(0)} µs`;
    printRound(result);
    console.log(`${''.padEnd(22)} CPU per request: server ${perRequest(used.server)}, PostgreSQL ${perRequest(used.postgres)}, load generator ${perRequest(used.load)}`);
    return result;
  };
  const baselineRuns: LoadResult[] = [];
  const serviceRuns: LoadResult[] = [];
  let peakRssMb = 0;
  await round('bare 302, warm-up', baseline, WARM_UP_SECONDS);
  // Uncounted in the figures, but its clicks are in the persisted-vs-sent check like every other.
  const warmUp = await round('synaptyx, warm-up', service, WARM_UP_SECONDS);
  for (let n = 1; n <= ROUNDS; n++) {
    baselineRuns.push(await round(`bare 302, round ${n}`, baseline));
    const rss = sampleRss(service.process.pid!);
    try {
      serviceRuns.push(await round(`synaptyx, round ${n}`, service));
    } finally {
      peakRssMb = Math.max(peakRssMb, rss.stop());
    }
  }

  // Durability: every 302 the service sent must be a click in the database after SIGTERM and a restart.
  const diedDuringLoad = service.exit();
  const sent = [warmUp, ...serviceRuns].reduce((sum, run) => sum + (run.statusCounts['302'] ?? 0), 0);
  const sigtermExit = await service.stop();
  const restarted = await startService(database.url, { fromSource: FROM_SOURCE });
  children.push(restarted);
  const viaApi: number = (await get(`${restarted.url}/api/links/${link.id}`, key)).clicks;
  const db = knexFactory.knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 1 } });
  const [{ count }] = await db('clicks').where({ link_id: link.id }).count<{ count: string }[]>('* as count');
  await db.destroy();
  const inTable = Number(count);
  const restartExit = await restarted.stop();

  const crashed = diedDuringLoad !== null || sigtermExit !== 0 || restartExit !== 0;
  const allPersisted = viaApi === sent && inTable === sent;
  const average = (runs: LoadResult[]) => ({
    rps: mean(runs.map((run) => run.rps)),
    p50: mean(runs.map((run) => run.p50)),
    p99: mean(runs.map((run) => run.p99)),
  });
  const base = average(baselineRuns);
  const svc = average(serviceRuns);
  const ratio = svc.rps / base.rps;
  const worstP99 = Math.max(...serviceRuns.map((run) => run.p99));
  const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
  const row = (label: string, avg: typeof base) =>
    `  ${label.padEnd(20)} ${avg.rps.toFixed(0).padStart(8)} req/s   p50 ${avg.p50.toFixed(1)} ms   p99 ${avg.p99.toFixed(1)} ms`;

  console.log(`\naverages over ${ROUNDS} rounds`);
  console.log(row('bare 302 server', base));
  console.log(row('synaptyx /c/:slug', svc));
  console.log('\ngoals');
  console.log(`  ratio service/bare   ${ratio.toFixed(2).padEnd(14)} goal ≥ ${GOALS.ratio}     ${verdict(ratio >= GOALS.ratio)}`);
  console.log(`  service p99          ${`${worstP99} ms`.padEnd(14)} goal ≤ ${GOALS.p99Ms} ms    ${verdict(worstP99 <= GOALS.p99Ms)}  (worst round)`);
  console.log(`  service peak RSS     ${`${peakRssMb.toFixed(0)} MB`.padEnd(14)} goal ≤ ${GOALS.rssMb} MB   ${verdict(peakRssMb <= GOALS.rssMb)}`);
  console.log('\ndurability');
  if (diedDuringLoad) console.log(`  service died during the load: ${JSON.stringify(diedDuringLoad)}\n${service.output()}`);
  console.log(`  SIGTERM exit code    ${sigtermExit}${sigtermExit === 0 ? '' : `  (expected 0)\n${service.output()}`}`);
  console.log(`  302s sent            ${sent}  (the service's warm-up and both rounds)`);
  console.log(`  clicks persisted     ${viaApi} via GET /api/links/:id, ${inTable} rows in clicks`);
  console.log(`  all persisted:       ${allPersisted ? 'yes' : 'no'}`);
  if (restartExit !== 0) console.log(`  restarted service exit code ${restartExit}  (expected 0)\n${restarted.output()}`);
  console.log(`  service crashed:     ${crashed ? 'yes' : 'no'}`);

  const summary = {
    bench: 'redirect', service: FROM_SOURCE ? 'source' : 'dist', seconds: SECONDS, connections: CONNECTIONS,
    baseline_rps: Math.round(base.rps), service_rps: Math.round(svc.rps), ratio: Number(ratio.toFixed(3)),
    service_p50_ms: svc.p50, service_p99_ms: worstP99, peak_rss_mb: Math.round(peakRssMb),
    rounds: [...baselineRuns, ...serviceRuns].map((run) => ({ label: run.label, rps: Math.round(run.rps), p50: run.p50, p99: run.p99, errors: run.errors })),
    sent, persisted_api: viaApi, persisted_rows: inTable, all_persisted: allPersisted, sigterm_exit: sigtermExit, crashed,
    goals: { ratio: ratio >= GOALS.ratio, p99: worstP99 <= GOALS.p99Ms, rss: peakRssMb <= GOALS.rssMb },
  };
  console.log(`\n${JSON.stringify(summary)}`);
  if (!allPersisted || crashed) process.exitCode = 1;
} finally {
  await cleanUp();
}
