// npm run bench:webhooks — signed checkout.session.completed deliveries (20% duplicates) against a server that
// only verifies the Stripe signature, in the same run, on PostgreSQL.
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import Stripe from 'stripe';
import { ClickIds } from '../src/clicks/click-id.js';
import { ADMIN_TOKEN, SERVICE_SECRET, benchDatabase, cpuMeter, post, startBaseline, startService, type Child } from './support/processes.js';
import { load, mean, printRound, type LoadResult } from './support/load.js';

const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const DUPLICATE_SHARE = 0.2;
const REQUESTS = Number(process.env.BENCH_WEBHOOKS ?? 20_000);
// Each server first gets a short uncounted round: JIT, connection pools and PostgreSQL's plan caches warm up.
const WARM_UP = Math.min(2_000, REQUESTS);
const stripe = new Stripe('sk_signing_only');

/** Deliveries as Stripe sends them: a fresh event each time, or (20%) one already sent. */
function deliveries(clickIds: ClickIds, linkId: string) {
  const sent: { body: string; signature: string }[] = [];
  const unique = new Set<string>();
  const next = () => {
    if (sent.length > 0 && Math.random() < DUPLICATE_SHARE) return sent[Math.floor(Math.random() * sent.length)];
    const id = `evt_${randomBytes(12).toString('hex')}`;
    unique.add(id);
    const body = JSON.stringify({
      id, object: 'event', api_version: '2025-04-30.basil', created: Math.floor(Date.now() / 1000), type: 'checkout.session.completed',
      data: { object: {
        id: `cs_test_${randomBytes(12).toString('hex')}`, object: 'checkout.session', mode: 'payment', payment_status: 'paid', status: 'complete',
        amount_total: 4900, currency: 'usd', customer: `cus_${randomBytes(8).toString('hex')}`, payment_intent: `pi_${randomBytes(12).toString('hex')}`,
        client_reference_id: null, discounts: [], total_details: { amount_discount: 0 }, metadata: { synaptyx_clickid: clickIds.mint(linkId) },
      } },
    });
    const delivery = { body, signature: stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET }) };
    sent.push(delivery);
    return delivery;
  };
  return { next, unique };
}

/** One round, with the CPU each side spent per request: where the time goes, on 2 shared cores. */
async function run(label: string, server: Child, url: string, source: ReturnType<typeof deliveries>, amount = REQUESTS): Promise<LoadResult> {
  const meter = cpuMeter(server.process.pid!);
  const result = await load(label, {
    url,
    method: 'POST',
    amount,
    requests: [{
      setupRequest: (request) => {
        const { body, signature } = source.next();
        return { ...request, body, headers: { ...request.headers, 'content-type': 'application/json', 'stripe-signature': signature } };
      },
    }],
  });
  const used = meter();
  const perRequest = (seconds: number) => `${((seconds / result.total) * 1e6).toFixed(0)} µs`;
  printRound(result);
  console.log(`${''.padEnd(22)} CPU per request: server ${perRequest(used.server)}, PostgreSQL ${perRequest(used.postgres)}, load generator ${perRequest(used.load)}`);
  return result;
}

const database = await benchDatabase();
const children: Child[] = [];
try {
  const baseline = await startBaseline('stripe-verify.ts', [WEBHOOK_SECRET]);
  const service = await startService(database.url);
  children.push(baseline, service);
  const { api_key: key } = await post(`${service.url}/api/workspaces`, { name: 'Bench' }, ADMIN_TOKEN);
  const campaign = await post(`${service.url}/api/campaigns`, { name: 'Bench', destination_url: 'https://shop.example.com/' }, key);
  const link = await post(`${service.url}/api/links`, { campaign_id: campaign.id }, key);
  const source = await post(`${service.url}/api/sources`, { provider: 'stripe', mode: 'api_key', api_key: 'sk_test_bench_0000', webhook_secret: WEBHOOK_SECRET }, key);
  const clickIds = new ClickIds(SERVICE_SECRET);

  const baselineRuns: LoadResult[] = [];
  const serviceRuns: LoadResult[] = [];
  const toService = deliveries(clickIds, link.id);
  const serviceUrl = `${service.url}/webhooks/stripe/${source.id}`;
  // Uncounted, but the warm-up's deliveries are in the conversions-vs-unique-events check like every other.
  await run('verify-only, warm-up', baseline, baseline.url, deliveries(clickIds, link.id), WARM_UP);
  const serviceWarmUp = await run('synaptyx, warm-up', service, serviceUrl, toService, WARM_UP);
  for (let round = 1; round <= 2; round++) {
    baselineRuns.push(await run(`verify-only, round ${round}`, baseline, baseline.url, deliveries(clickIds, link.id)));
    serviceRuns.push(await run(`synaptyx, round ${round}`, service, serviceUrl, toService));
  }

  const db = knexFactory.knex({ client: 'pg', connection: database.url });
  const [{ count: conversions }] = await db('conversions').where({ source_id: source.id }).count<{ count: string }[]>('* as count');
  const outcomes = Object.fromEntries(
    (await db('webhook_logs').where({ source_id: source.id }).groupBy('outcome').select('outcome').count('* as count')).map((row) => [row.outcome, Number(row.count)]),
  );
  await db.destroy();

  const sent = [serviceWarmUp, ...serviceRuns].reduce((sum, r) => sum + r.total, 0);
  const ok = [serviceWarmUp, ...serviceRuns].reduce((sum, r) => sum + (r.statusCounts['200'] ?? 0), 0);
  const ratio = mean(serviceRuns.map((r) => r.rps)) / mean(baselineRuns.map((r) => r.rps));
  const p99 = Math.max(...serviceRuns.map((r) => r.p99));
  const exact = Number(conversions) === toService.unique.size;
  const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
  console.log('');
  console.log(`verify-only server   ${mean(baselineRuns.map((r) => r.rps)).toFixed(0)} req/s (mean of 2)`);
  console.log(`synaptyx webhooks    ${mean(serviceRuns.map((r) => r.rps)).toFixed(0)} req/s (mean of 2), p99 ${p99} ms`);
  console.log(`ratio                ${ratio.toFixed(2)}  (goal ≥ 0.25: ${verdict(ratio >= 0.25)})`);
  console.log(`p99                  ${p99} ms  (goal ≤ 50 ms: ${verdict(p99 <= 50)})`);
  console.log(`deliveries           ${sent} sent, ${ok} answered 200, ${toService.unique.size} unique events`);
  console.log(`outcomes             ${JSON.stringify(outcomes)}`);
  console.log(`conversions          ${conversions} for ${toService.unique.size} unique events  (zero double counts, zero lost: ${exact ? 'yes' : 'NO'})`);
  console.log(JSON.stringify({ bench: 'webhooks', baseline_rps: mean(baselineRuns.map((r) => r.rps)), service_rps: mean(serviceRuns.map((r) => r.rps)), ratio, p99, sent, ok, unique_events: toService.unique.size, conversions: Number(conversions), outcomes }));
  if (!exact || ok !== sent) process.exitCode = 1;
} finally {
  await Promise.all(children.map((child) => child.stop()));
  await database.drop();
}
