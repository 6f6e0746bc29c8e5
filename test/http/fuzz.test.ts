import { expect } from 'chai';
import { request } from 'node:http';
import { useService } from '../support/service.js';
import { stripeSource, polarSource } from '../support/webhooks.js';

/** mulberry32: a small seeded generator, so a failing run can be replayed with FUZZ_SEED. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick };
}

type Random = ReturnType<typeof generator>;

const STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udc00x', '💥', '<script>alert(1)</script>', "'; DROP TABLE links; --", '%00', '%zz',
  '../../etc/passwd', 'null', 'true', '0', '-1', '1e309', 'NaN', '__proto__', 'constructor', 'cmp_01J0000000000000000000000Z',
  'lnk_x', 'src_ZZZZZZZZZZZZZZZZZZZZZZZZZZ', 'https://a:99999/', 'http://[::1/', 'javascript:alert(1)', 'ZZZ', 'usd', '2024-06-30T23:59:60Z',
];

function value(random: Random, depth = 0): unknown {
  switch (random.int(depth > 3 ? 6 : 9)) {
    case 0: return random.pick(STRINGS);
    case 1: return random.pick([0, -1, 1.5, 1e300, -1e300, Number.MAX_SAFE_INTEGER + 2, 2 ** 63]);
    case 2: return random.pick([true, false, null]);
    case 3: return 'x'.repeat(random.pick([100, 5_000, 300_000]));
    case 4: return random.pick(STRINGS) + random.pick(STRINGS);
    case 5: return random.pick([[], {}, [null], { '': '' }]);
    case 6: return Array.from({ length: random.int(4) }, () => value(random, depth + 1));
    case 7: return Object.fromEntries(Array.from({ length: random.int(4) }, () => [random.pick([...STRINGS, 'name', 'coupon_codes', 'destination_url', 'amount']), value(random, depth + 1)]));
    default: return { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } };
  }
}

/** A body that is wrong in one of many ways; `valid` is a correct body of the route to mutate. */
function body(random: Random, fields: string[]): { raw: string; type: string } {
  const type = random.pick(['application/json', 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1']);
  switch (random.int(7)) {
    case 0: return { raw: '{"name": ', type };
    case 1: return { raw: '['.repeat(5_000) + ']'.repeat(5_000), type };
    case 2: return { raw: '{"a":'.repeat(3_000) + '1' + '}'.repeat(3_000), type };
    case 3: return { raw: '{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}', type };
    case 4: return { raw: Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString('latin1'), type };
    default: {
      const object = Object.fromEntries(fields.map((field) => [field, value(random)]));
      if (random.next() < 0.3) object[random.pick(STRINGS)] = value(random);
      return { raw: JSON.stringify(random.next() < 0.1 ? [object] : object), type };
    }
  }
}

function send(baseUrl: string, method: string, path: string, headers: Record<string, string>, payload?: string): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(baseUrl + path, { method, headers: payload === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(payload, 'latin1')) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type'] ?? ''), text }));
    });
    req.on('error', reject);
    req.end(payload === undefined ? undefined : Buffer.from(payload, 'latin1'));
  });
}

const PATH_GARBAGE = ['%zz', '%00', '%C0%AF', '%E0%80%80', '..%2F..%2F', 'x'.repeat(3_000), '%ud800', '%F0%9F%92%A5', "'", '<>', 'A%20B'];
const BAD_IDS = ['x', 'cmp_', 'cmp_01J0000000000000000000000Z', 'lnk_01J0000000000000000000000', 'src_' + 'Z'.repeat(26), '1e309', '%00', '__proto__'];
const QUERY_GARBAGE = ['limit=0', 'limit=-1', 'limit=1e309', 'limit=abc', 'limit=201', 'cursor=nope', 'cursor=%00', 'cursor=lnk_ZZZZZZZZZZZZZZZZZZZZZZZZZZ', 'from=2024-06-30T23:59:60Z',
  'to=0000-01-01T00:00:00Z', 'from=tomorrow', 'campaign_id=x', 'outcome=<b>', 'include_archived=maybe', 'x[y]=1', '__proto__[a]=1', 'limit=1&limit=2', '%zz=%zz', 'a=' + 'b'.repeat(10_000)];

describe('fuzz: malformed requests across every route', () => {
  const suite = useService({ SYX_BAD_DELIVERIES_PER_MINUTE: '1000' });

  it('answers 2,000+ malformed requests with no 5xx, each a 4xx in the error shape, and stays healthy', async function () {
    this.timeout(180_000);
    const seed = Number(process.env.FUZZ_SEED ?? 20261202);
    const random = generator(seed);
    const { api } = suite;
    const { key } = await api.workspace();
    const stripe = await stripeSource(api, key);
    const polar = await polarSource(api, key);
    const { paths } = (await api.get('/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: { properties?: Record<string, unknown> } } } } }>> };
    const operations = Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        fields: Object.keys(operation.requestBody?.content['application/json'].schema.properties ?? { name: null }),
      })),
    );
    const publicRoutes = [
      { method: 'POST', path: `/webhooks/stripe/${stripe.id}`, fields: ['id', 'type', 'data'] },
      { method: 'POST', path: `/webhooks/polar/${polar.id}`, fields: ['type', 'data', 'timestamp'] },
      { method: 'POST', path: '/webhooks/stripe/connect', fields: ['id', 'type', 'account'] },
      { method: 'POST', path: '/webhooks/{provider}/{source_id}', fields: ['id'] },
      { method: 'GET', path: '/c/{slug}', fields: [] },
      { method: 'GET', path: '/s/{file}', fields: [] },
      { method: 'GET', path: '/oauth/{provider}/callback', fields: [] },
      { method: 'GET', path: '/healthz', fields: [] },
    ];
    const routes = [...operations, ...publicRoutes];
    const failures: string[] = [];
    let sent = 0;
    for (let i = 0; i < 2_100; i++) {
      const route = random.pick(routes);
      const path = route.path.replace(/\{(\w+)\}/g, () => (random.next() < 0.5 ? random.pick(BAD_IDS) : random.pick(PATH_GARBAGE)));
      const query = random.next() < 0.5 ? `?${random.pick(QUERY_GARBAGE)}${random.next() < 0.3 ? `&${random.pick(QUERY_GARBAGE)}` : ''}` : '';
      const headers: Record<string, string> = { accept: 'application/json' };
      if (random.next() < 0.8) headers.authorization = random.next() < 0.9 ? `Bearer ${key}` : random.pick(['Bearer', 'Bearer syx_', `Bearer ${key}x`, 'Basic Zm9vOmJhcg==', 'Bearer \u00ff']);
      if (route.path.startsWith('/webhooks')) {
        headers['stripe-signature'] = random.pick(['t=1,v1=deadbeef', 'garbage', `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`, 't=,v1=', 'v1=x'.repeat(100)]);
        headers['webhook-id'] = random.pick(['msg_1', '', 'x'.repeat(500)]);
        headers['webhook-timestamp'] = random.pick([String(Math.floor(Date.now() / 1000)), '0', '-1', 'abc', '1e309']);
        headers['webhook-signature'] = random.pick(['v1,AAAA', 'v1,', 'garbage', 'v1,' + 'A'.repeat(1000)]);
      }
      const withBody = route.method !== 'GET' && route.method !== 'DELETE' ? body(random, route.fields) : null;
      if (withBody) headers['content-type'] = withBody.type;
      const method = random.next() < 0.05 ? random.pick(['TRACE', 'PROPFIND', 'PATCH', 'OPTIONS', 'PUT']) : route.method;
      let reply;
      try {
        reply = await send(suite.running.url, method, path + query, headers, withBody?.raw);
      } catch (error) {
        failures.push(`${method} ${path.slice(0, 80)}${query.slice(0, 60)}: ${(error as Error).message}`);
        continue;
      }
      sent++;
      const label = `${method} ${path.slice(0, 80)}${query.slice(0, 60)} → ${reply.status}`;
      if (reply.status >= 500) failures.push(`${label}: ${reply.text.slice(0, 200)}`);
      else if (reply.status >= 400 && reply.type.includes('json')) {
        const error = JSON.parse(reply.text).error;
        if (typeof error?.code !== 'string' || typeof error?.message !== 'string') failures.push(`${label}: not the error shape: ${reply.text.slice(0, 200)}`);
      } else if (reply.status >= 400 && !(route.path.startsWith('/oauth') && reply.type.includes('text/html'))) {
        failures.push(`${label}: a ${reply.type || 'bodiless'} error`);
      }
    }
    expect(failures, failures.slice(0, 20).join('\n')).to.deep.equal([]);
    expect(sent).to.be.at.least(2_000);
    const health = await api.get('/healthz');
    expect(health.status).to.equal(200);
    expect(({} as Record<string, unknown>).polluted, 'no prototype was polluted').to.equal(undefined);
    expect((await api.get('/api/campaigns', { key })).status).to.equal(200);
  });
});
