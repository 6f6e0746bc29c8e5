import { expect } from 'chai';
import { connect } from 'node:net';
import { useService } from '../support/service.js';
import { checkoutSession, stripeEvent } from '../support/stripe-events.js';
import { deliverStripe, logsOf, storefront, stripeSource } from '../support/webhooks.js';

/** A request whose 1 KB body arrives a byte every 50 ms (51 s in all); resolves with the status line and when it came. */
function slowRequest(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; afterMs: number }> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let timer: NodeJS.Timeout;
    let answer = '';
    socket.on('connect', () => {
      const head = Object.entries({ host: `${hostname}:${port}`, 'content-type': 'application/json', 'content-length': '1024', ...headers })
        .map(([name, value]) => `${name}: ${value}\r\n`).join('');
      socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
      timer = setInterval(() => socket.writable && socket.write(' '), 50);
    });
    socket.on('data', (chunk) => {
      answer += chunk;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status) {
        clearInterval(timer);
        socket.destroy();
        resolve({ status: Number(status[1]), afterMs: Date.now() - started });
      }
    });
    socket.on('error', (error) => (clearInterval(timer), reject(error)));
  });
}

describe('abuse: slow clients, unauthenticated bodies and forged webhooks are bounded', () => {
  const suite = useService({ SYX_BODY_TIMEOUT_MS: '600', SYX_BAD_DELIVERIES_PER_MINUTE: '5' });

  it('a body that trickles in is cut off with 408', async () => {
    const { key } = await suite.api.workspace();
    const reply = await slowRequest(suite.running.url, '/api/campaigns', { authorization: `Bearer ${key}` });
    expect(reply.status).to.equal(408);
    expect(reply.afterMs).to.be.below(5_000);
  });

  it('a request without a valid key is refused before its body is read', async () => {
    const reply = await slowRequest(suite.running.url, '/api/campaigns', {});
    expect(reply.status).to.equal(401);
    expect(reply.afterMs, 'answered without waiting for the body').to.be.below(500);
  });

  it('a delivery to an unknown source is a 404 before its body is read', async () => {
    const reply = await slowRequest(suite.running.url, '/webhooks/stripe/src_01J0000000000000000000000Z', {});
    expect(reply.status).to.equal(404);
    expect(reply.afterMs).to.be.below(500);
  });

  it('forged deliveries leave one log row per burst and are answered 429 past the bound; genuine ones still pass', async () => {
    const shop = await storefront(suite.api);
    const source = await stripeSource(suite.api, shop.key);
    const forged = () => deliverStripe(suite.api, source.id, stripeEvent('checkout.session.completed', checkoutSession()), { secret: 'whsec_forged_secret' });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await forged()).status);
    expect(statuses).to.deep.equal([400, 400, 400, 400, 400, 429, 429, 429]);
    const refused = await forged();
    expect(refused.headers.get('retry-after')).to.match(/^\d+$/);
    expect(refused.body.error.code).to.equal('rate_limited');
    const logs = await logsOf(suite.api, shop.key, source.id, '&outcome=invalid_signature');
    expect(logs, 'one row for the burst').to.have.length(1);
    // A delivery Stripe signed is never refused, however many forgeries came before it.
    const genuine = await deliverStripe(suite.api, source.id, stripeEvent('checkout.session.completed', checkoutSession()));
    expect(genuine.status).to.equal(200);
  });
});
