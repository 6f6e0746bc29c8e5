import { expect } from 'chai';
import { testDatabase } from '../support/hooks.js';
import { BROWSER_UA } from '../support/http.js';
import { logLines, startProcess, type ServiceProcess } from '../support/processes.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { checkoutSession, stripeEvent } from '../support/stripe-events.js';
import { deliverStripe, stripeSource } from '../support/webhooks.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => Promise<T | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * The service talks to PostgreSQL through a TCP proxy the test cuts and restores. The embedded database lives
 * inside the service's own process, so it has no outage of its own to survive: these run on PostgreSQL.
 */
describe('a database outage', function () {
  this.timeout(90_000);
  let proxy: TcpProxy;
  let service: ServiceProcess;
  let key: string;
  let link: { id: string; slug: string };
  let sourceId: string;

  before(async function () {
    const url = testDatabase().url;
    if (!url) this.skip(); // the embedded database cannot be cut off from the process that holds it
    const direct = new URL(url!);
    proxy = await startTcpProxy(direct.hostname, Number(direct.port || 5432));
    const viaProxy = new URL(url!);
    viaProxy.host = `${proxy.host}:${proxy.port}`;
    service = await startProcess({ DATABASE_URL: viaProxy.href, SYX_LINK_CACHE_TTL_SECONDS: '1', SYX_CLICK_QUEUE_MAX: '400' });
    ({ key } = await service.api.workspace());
    link = await service.api.link(key, (await service.api.campaign(key)).id);
    sourceId = (await stripeSource(service.api, key)).id;
  });
  after(async () => {
    await service?.stop();
    await proxy?.close();
  });

  const visit = () => service.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } });
  const clicksOf = async () => (await service.api.get(`/api/links/${link.id}`, { key })).body.clicks as number;

  it('links keep redirecting with click ids past the cache lifetime, clicks wait, webhooks get 503, /healthz says down; all is written when it returns', async () => {
    expect((await visit()).status).to.equal(302); // the link is now cached
    await until('the first click written', async () => (await clicksOf()) === 1);
    proxy.cut('refuse');
    await sleep(1_500); // past the link's 1 s cache lifetime
    const replies = [];
    for (let i = 0; i < 300; i++) replies.push(await visit());
    expect(replies.every((reply) => reply.status === 302 && new URL(reply.headers.get('location')!).searchParams.get('clickid'))).to.equal(true);

    const health = await service.api.get('/healthz');
    expect(health.status).to.equal(503);
    expect(health.body).to.deep.include({ db: 'down', clicks: { pending: 300, dropped: 0 } });

    const delivery = await deliverStripe(service.api, sourceId, stripeEvent('checkout.session.completed', checkoutSession()));
    expect(delivery.status).to.equal(503);
    expect(delivery.headers.get('retry-after')).to.match(/^\d+$/);
    expect((await service.api.get('/api/campaigns', { key })).status, 'the API says unavailable, not internal').to.equal(503);

    await sleep(3_000);
    const failures = logLines(service.output()).filter((line) => line.msg === 'writing clicks failed; retrying with backoff');
    expect(failures.length, 'one log line for the outage, not one per attempt').to.equal(1);

    proxy.restore();
    await until('every waiting click written', async () => (await clicksOf()) === 301);
    const back = await service.api.get('/healthz');
    expect(back.status).to.equal(200);
    expect(back.body.clicks).to.deep.equal({ pending: 0, dropped: 0 });
    expect(logLines(service.output()).some((line) => line.msg === 'writing clicks again')).to.equal(true);
    expect((await deliverStripe(service.api, sourceId, stripeEvent('checkout.session.completed', checkoutSession()))).status).to.equal(200);
  });

  it('past the queue\'s bound, new clicks are still redirected, dropped and counted', async () => {
    const before = await clicksOf();
    proxy.cut('refuse');
    for (let i = 0; i < 450; i++) expect((await visit()).status).to.equal(302);
    const health = await service.api.get('/healthz');
    expect(health.body.clicks).to.deep.equal({ pending: 400, dropped: 50 });
    proxy.restore();
    await until('the kept clicks written', async () => (await clicksOf()) === before + 400);
  });

  it('a database that hangs (accepts, never answers) fails requests fast and cannot hold a shutdown past its deadline', async () => {
    proxy.cut('hang');
    await sleep(1_200);
    expect((await visit()).status).to.equal(302);
    const started = Date.now();
    const health = await service.api.get('/healthz');
    expect(health.status).to.equal(503);
    expect(Date.now() - started).to.be.below(3_000);
    const stopping = Date.now();
    const code = await service.stop(40_000);
    expect(code).to.equal(0);
    expect(Date.now() - stopping, 'within the drain deadline and its bounded steps').to.be.below(30_000);
    expect(logLines(service.output()).some((line) => line.msg === 'shutting down with clicks the database would not take'), service.output().slice(-3000)).to.equal(true);
  });
});
