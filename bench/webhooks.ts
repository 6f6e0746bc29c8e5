// npm run bench:webhooks — for each provider (BENCH_PROVIDERS, default all four), signed deliveries of new paid
// sales (20% repeats of earlier ones) against a server that only verifies that provider's signature, and against
// the service, in the same run, on PostgreSQL.
import knexFactory from 'knex';
import { ClickIds } from '../src/clicks/click-id.js';
import { PROVIDERS, type ProviderName } from '../src/providers/provider.js';
import { ADMIN_TOKEN, SERVICE_SECRET, benchDatabase, cpuMeter, post, startBaseline, startService, type Child } from './support/processes.js';
import { load, mean, printRound, type LoadResult } from './support/load.js';
import { PROVIDER_DELIVERIES, lemonSqueezyApi, type Delivery, type ProviderDeliveries } from './support/webhook-deliveries.js';

const DUPLICATE_SHARE = 0.2;
const REQUESTS = Number(process.env.BENCH_WEBHOOKS ?? 20_000);
// Each server first gets a short uncounted round: JIT, connection pools and PostgreSQL's plan caches warm up.
const WARM_UP = Math.min(2_000, REQUESTS);
const SELECTED = (process.env.BENCH_PROVIDERS?.split(',') ?? PROVIDERS) as ProviderName[];

/** Deliveries as the provider sends them: a fresh event each time, or (20%) one already sent, signed again. */
function deliveries(provider: ProviderDeliveries, clickIds: ClickIds, linkId: string) {
  const sent: Delivery[] = [];
  const unique = new Set<string>();
  const next = () => {
    if (sent.length > 0 && Math.random() < DUPLICATE_SHARE) return sent[Math.floor(Math.random() * sent.length)];
    const delivery = provider.event(clickIds.mint(linkId));
    unique.add(delivery.eventId);
    sent.push(delivery);
    return delivery;
  };
  return { next, unique };
}

/** One round, with the CPU each side spent per request: where the time goes, on 2 shared cores. */
async function run(label: string, server: Child, url: string, provider: ProviderDeliveries, source: ReturnType<typeof deliveries>, amount = REQUESTS): Promise<LoadResult> {
  const meter = cpuMeter(server.process.pid!);
  const result = await load(label, {
    url,
    method: 'POST',
    amount,
    requests: [{
      setupRequest: (request) => {
        const delivery = source.next();
        return { ...request, body: delivery.body, headers: { ...request.headers, 'content-type': 'application/json', ...provider.sign(delivery) } };
      },
    }],
  });
  const used = meter();
  const perRequest = (seconds: number) => `${((seconds / result.total) * 1e6).toFixed(0)} µs`;
  printRound(result);
  console.log(`${''.padEnd(22)} CPU per request: server ${perRequest(used.server)}, PostgreSQL ${perRequest(used.postgres)}, load generator ${perRequest(used.load)}`);
  return result;
}

interface Verdict {
  provider: ProviderName;
  baseline_rps: number;
  service_rps: number;
  ratio: number;
  p99: number;
  sent: number;
  ok: number;
  unique_events: number;
  conversions: number;
  outcomes: Record<string, number>;
  pass: boolean;
}

/** One provider: its own source and verify-only baseline, warm-ups, then two alternated rounds. */
async function benchProvider(name: ProviderName, service: Child, databaseUrl: string, context: { key: string; linkId: string; clickIds: ClickIds }): Promise<Verdict> {
  const provider = PROVIDER_DELIVERIES[name]();
  console.log(`\n== ${name}`);
  const baseline = await startBaseline(provider.baseline, [provider.secret]);
  try {
    const source = await post(`${service.url}/api/sources`, { provider: name, mode: 'api_key', api_key: provider.apiKey, webhook_secret: provider.secret }, context.key);
    const serviceUrl = `${service.url}/webhooks/${name}/${source.id}`;
    const toService = deliveries(provider, context.clickIds, context.linkId);
    const baselineRuns: LoadResult[] = [];
    const serviceRuns: LoadResult[] = [];
    // Uncounted, but the warm-up's deliveries are in the conversions-vs-unique-events check like every other.
    await run('verify-only, warm-up', baseline, baseline.url, provider, deliveries(provider, context.clickIds, context.linkId), WARM_UP);
    const serviceWarmUp = await run('synaptyx, warm-up', service, serviceUrl, provider, toService, WARM_UP);
    for (let round = 1; round <= 2; round++) {
      baselineRuns.push(await run(`verify-only, round ${round}`, baseline, baseline.url, provider, deliveries(provider, context.clickIds, context.linkId)));
      serviceRuns.push(await run(`synaptyx, round ${round}`, service, serviceUrl, provider, toService));
    }

    const db = knexFactory.knex({ client: 'pg', connection: databaseUrl });
    const [{ count: conversions }] = await db('conversions').where({ source_id: source.id }).count<{ count: string }[]>('* as count');
    const outcomes = Object.fromEntries(
      (await db('webhook_logs').where({ source_id: source.id }).groupBy('outcome').select('outcome').count('* as count')).map((row) => [row.outcome, Number(row.count)]),
    );
    await db.destroy();

    const sent = [serviceWarmUp, ...serviceRuns].reduce((sum, r) => sum + r.total, 0);
    const ok = [serviceWarmUp, ...serviceRuns].reduce((sum, r) => sum + (r.statusCounts['200'] ?? 0), 0);
    const baselineRps = mean(baselineRuns.map((r) => r.rps));
    const serviceRps = mean(serviceRuns.map((r) => r.rps));
    const ratio = serviceRps / baselineRps;
    const p99 = Math.max(...serviceRuns.map((r) => r.p99));
    const exact = Number(conversions) === toService.unique.size && ok === sent;
    const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
    console.log('');
    console.log(`verify-only server   ${baselineRps.toFixed(0)} req/s (mean of 2)`);
    console.log(`synaptyx webhooks    ${serviceRps.toFixed(0)} req/s (mean of 2), p99 ${p99} ms`);
    console.log(`ratio                ${ratio.toFixed(2)}  (goal ≥ 0.25: ${verdict(ratio >= 0.25)})`);
    console.log(`p99                  ${p99} ms  (goal ≤ 50 ms: ${verdict(p99 <= 50)})`);
    console.log(`deliveries           ${sent} sent, ${ok} answered 200, ${toService.unique.size} unique events`);
    console.log(`outcomes             ${JSON.stringify(outcomes)}`);
    console.log(`conversions          ${conversions} for ${toService.unique.size} unique events  (zero double counts, zero lost: ${exact ? 'yes' : 'NO'})`);
    return {
      provider: name, baseline_rps: baselineRps, service_rps: serviceRps, ratio, p99, sent, ok, unique_events: toService.unique.size,
      conversions: Number(conversions), outcomes, pass: exact && ratio >= 0.25 && p99 <= 50,
    };
  } finally {
    await baseline.stop();
  }
}

const database = await benchDatabase();
const lemonSqueezy = await lemonSqueezyApi();
let service: Child | null = null;
try {
  // No reconciliation during the rounds: it would ask the providers' real APIs about the bench's made-up keys.
  service = await startService(database.url, { env: { LEMONSQUEEZY_API_BASE: lemonSqueezy.url, SYX_RECONCILE_INTERVAL_MINUTES: '1440' } });
  const { api_key: key } = await post(`${service.url}/api/workspaces`, { name: 'Bench' }, ADMIN_TOKEN);
  const campaign = await post(`${service.url}/api/campaigns`, { name: 'Bench', destination_url: 'https://shop.example.com/' }, key);
  const link = await post(`${service.url}/api/links`, { campaign_id: campaign.id }, key);
  const context = { key, linkId: link.id, clickIds: new ClickIds(SERVICE_SECRET) };

  const verdicts: Verdict[] = [];
  for (const name of SELECTED) verdicts.push(await benchProvider(name, service, database.url, context));

  console.log('\nprovider       verify-only   synaptyx   ratio   p99     conversions / unique   verdict');
  for (const v of verdicts) {
    console.log(
      `${v.provider.padEnd(14)} ${v.baseline_rps.toFixed(0).padStart(8)}/s ${v.service_rps.toFixed(0).padStart(8)}/s   ${v.ratio.toFixed(2)}   ` +
        `${String(v.p99).padStart(3)} ms   ${String(v.conversions).padStart(7)} / ${String(v.unique_events).padEnd(9)}   ${v.pass ? 'PASS' : 'FAIL'}`,
    );
  }
  for (const v of verdicts) console.log(JSON.stringify({ bench: 'webhooks', ...v }));
  if (verdicts.some((v) => v.conversions !== v.unique_events || v.ok !== v.sent)) process.exitCode = 1;
} finally {
  await service?.stop();
  lemonSqueezy.close();
  await database.drop();
}
