// npm run bench:redirect — the click path against a bare Node 302 server, in the same run, on PostgreSQL.
import {
  ADMIN_TOKEN, BROWSER_UA, benchDatabase, load, mean, post, printRound, sampleRss, startBaseline, startService,
  type Child, type LoadResult,
} from './support/processes.js';

const database = await benchDatabase();
const children: Child[] = [];
try {
  const baseline = await startBaseline('redirect-302.ts');
  const service = await startService(database.url);
  children.push(baseline, service);

  const { api_key: key } = await post(`${service.url}/api/workspaces`, { name: 'Bench' }, ADMIN_TOKEN);
  const campaign = await post(`${service.url}/api/campaigns`, { name: 'Bench', destination_url: 'https://shop.example.com/pricing?plan=pro#buy' }, key);
  const link = await post(`${service.url}/api/links`, { campaign_id: campaign.id, slug: 'bench' }, key);
  const headers = { 'user-agent': BROWSER_UA };

  const baselineRuns: LoadResult[] = [];
  const serviceRuns: LoadResult[] = [];
  const rss = sampleRss(service.process.pid!);
  for (let round = 1; round <= 2; round++) {
    baselineRuns.push(await load(`bare 302, round ${round}`, { url: `${baseline.url}/c/bench`, headers }));
    printRound(baselineRuns.at(-1)!);
    serviceRuns.push(await load(`synaptyx, round ${round}`, { url: `${service.url}/c/bench`, headers }));
    printRound(serviceRuns.at(-1)!);
  }
  const peakRss = rss.stop();

  const sent = serviceRuns.reduce((sum, run) => sum + (run.statusCounts['302'] ?? 0), 0);
  const exitCode = await service.stop();
  const restarted = await startService(database.url);
  children.push(restarted);
  const persisted = (await (await fetch(`${restarted.url}/api/links/${link.id}`, { headers: { authorization: `Bearer ${key}` } })).json()).clicks;
  await restarted.stop();

  const ratio = mean(serviceRuns.map((r) => r.rps)) / mean(baselineRuns.map((r) => r.rps));
  const p99 = Math.max(...serviceRuns.map((r) => r.p99));
  const p50 = Math.max(...serviceRuns.map((r) => r.p50));
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log('');
  console.log(`bare 302 server      ${mean(baselineRuns.map((r) => r.rps)).toFixed(0)} req/s (mean of 2)`);
  console.log(`synaptyx /c/:slug    ${mean(serviceRuns.map((r) => r.rps)).toFixed(0)} req/s (mean of 2), p50 ${p50} ms, p99 ${p99} ms`);
  console.log(`ratio                ${ratio.toFixed(2)}  (goal ≥ 0.35: ${verdict(ratio >= 0.35)})`);
  console.log(`p99                  ${p99} ms  (goal ≤ 10 ms: ${verdict(p99 <= 10)})`);
  console.log(`peak RSS             ${peakRss.toFixed(0)} MB  (goal ≤ 200 MB: ${verdict(peakRss <= 200)})`);
  console.log(`SIGTERM exit code    ${exitCode}`);
  console.log(`clicks persisted     ${persisted} of ${sent} 302s sent  (all persisted: ${persisted === sent ? 'yes' : 'NO'})`);
  console.log(JSON.stringify({ bench: 'redirect', baseline_rps: mean(baselineRuns.map((r) => r.rps)), service_rps: mean(serviceRuns.map((r) => r.rps)), ratio, p50, p99, peak_rss_mb: peakRss, sent, persisted, sigterm_exit: exitCode }));
  if (persisted !== sent || exitCode !== 0) process.exitCode = 1;
} finally {
  await Promise.all(children.map((child) => child.stop()));
  await database.drop();
}
