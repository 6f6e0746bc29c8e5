import { expect } from 'chai';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testDatabase } from '../support/hooks.js';
import { Api, BROWSER_UA } from '../support/http.js';
import { logLines, startProcess, type ServiceProcess } from '../support/processes.js';
import { checkoutSession, chargeRefunded, stripeEvent } from '../support/stripe-events.js';
import { deliverStripe, stripeSource } from '../support/webhooks.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A load balancer of the plainest kind: each request to the next instance in turn. */
function roundRobin(targets: string[]): Promise<{ server: Server; url: string; served: number[] }> {
  const served = targets.map(() => 0);
  let next = 0;
  const server = createServer((req, res) => {
    const index = next++ % targets.length;
    served[index]++;
    const upstream = request(new URL(req.url!, targets[index]), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served })));
}

/** How long until `check` holds, polling every 50 ms; fails past `limitMs`. */
async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await sleep(50);
  }
  return Date.now() - started;
}

/**
 * Two service processes on one PostgreSQL behind a round-robin proxy. The embedded database serves one process
 * by design (its data dir is locked), so there is no second instance to run beside it: these run on PostgreSQL.
 */
describe('two instances on one database', function () {
  this.timeout(90_000);
  let instances: ServiceProcess[] = [];
  let balancer: Awaited<ReturnType<typeof roundRobin>>;
  let api: Api;

  before(async function () {
    const url = testDatabase().url;
    if (!url) this.skip(); // one process per embedded database: nothing to run beside it
    const env = { DATABASE_URL: url!, SYX_LOG_LEVEL: 'debug', SYX_HEALTH_INTERVAL_MINUTES: '0.02' };
    instances = await Promise.all([startProcess(env), startProcess(env)]);
    balancer = await roundRobin(instances.map((instance) => instance.url));
    api = new Api(balancer.url);
  });
  after(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    balancer?.server.close();
  });

  it('the whole journey works through the balancer, every step on either instance', async () => {
    const { key } = await api.workspace();
    const campaign = await api.campaign(key);
    const link = await api.link(key, campaign.id);
    const source = await stripeSource(api, key);
    const clickIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } });
      expect(reply.status).to.equal(302);
      clickIds.push(new URL(reply.headers.get('location')!).searchParams.get('clickid')!);
    }
    // A click id minted by one instance attributes a sale received by either.
    for (const clickId of clickIds.slice(0, 2)) {
      const session = checkoutSession({ metadata: { synaptyx_clickid: clickId } });
      expect((await deliverStripe(api, source.id, stripeEvent('checkout.session.completed', session))).body.outcome).to.equal('attributed');
      await deliverStripe(api, source.id, stripeEvent('charge.refunded', chargeRefunded({ payment_intent: session.payment_intent, amount: session.amount_total, amount_refunded: 100 })));
    }
    const conversions = (await api.get('/api/conversions', { key })).body.data;
    expect(conversions).to.have.length(2);
    expect(conversions.every((c: { refunded_amount: number; campaign_id: string }) => c.refunded_amount === 100 && c.campaign_id === campaign.id)).to.equal(true);
    await within(5_000, async () => (await api.get(`/api/links/${link.id}`, { key })).body.clicks === 4);
    expect(balancer.served.every((count) => count > 5)).to.equal(true);
  });

  it('a link archived through one instance stops on the other within 2 seconds', async () => {
    const [first, second] = instances;
    const { key } = await first.api.workspace();
    const link = await first.api.link(key, (await first.api.campaign(key)).id);
    const visitSecond = () => second.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } });
    expect((await visitSecond()).status).to.equal(302); // now cached on the second instance, for a minute
    expect((await first.api.delete(`/api/links/${link.id}`, { key })).status).to.equal(200);
    const took = await within(2_000, async () => (await visitSecond()).status === 410);
    console.log(`      archived link answered 410 on the other instance after ${took} ms`);
  });

  it('a source disconnected through one instance stops taking deliveries on the other within 2 seconds', async () => {
    const [first, second] = instances;
    const { key } = await first.api.workspace();
    const source = await stripeSource(first.api, key);
    const deliver = () => deliverStripe(second.api, source.id, stripeEvent('checkout.session.completed', checkoutSession()));
    expect((await deliver()).status).to.equal(200); // the source is now cached on the second instance
    expect((await first.api.delete(`/api/sources/${source.id}`, { key })).status).to.equal(200);
    const took = await within(2_000, async () => (await deliver()).status === 404);
    console.log(`      disconnected source answered 404 on the other instance after ${took} ms`);
  });

  it('each background job runs once per interval across both instances', async () => {
    const runs = () => instances.flatMap((instance) => logLines(instance.output())).filter((line) => line.msg === 'job ran' && line.job === 'source-health');
    const before = runs().length;
    await sleep(6_000);
    const during = runs().length - before;
    // An interval of 1.2 s over 6 s: about 5 runs in all. Two instances each running it would make about 10.
    expect(during).to.be.within(3, 6);
    const perInstance = instances.map((instance) => logLines(instance.output()).filter((line) => line.msg === 'job ran' && line.job === 'source-health').length);
    console.log(`      source-health over 6 s at a 1.2 s interval: ${during} runs (${perInstance.join(' + ')} since start, by instance)`);
  });
});
