import { expect } from 'chai';
import Koa from 'koa';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startService, type RunningService } from '../support/service.js';
import { Api } from '../support/http.js';
import { errorHandler } from '../../src/http/middleware/errors.js';
import { createLogger } from '../../src/logger.js';

describe('the error shape', () => {
  let running: RunningService;
  let api: Api;
  let key: string;
  before(async () => {
    running = await startService();
    api = new Api(running.url);
    key = (await api.workspace()).key;
  });
  after(() => running.stop());

  it('malformed JSON is a 400', async () => {
    const reply = await api.post('/api/campaigns', undefined, { key, raw: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(reply.status).to.equal(400);
    expect(reply.body.error).to.deep.equal({ code: 'invalid_json', message: 'The request body is not valid JSON.' });
  });

  it('a body that is not JSON is a 415', async () => {
    for (const [type, raw] of [['text/plain', '{"name": "Spring"}'], ['application/x-www-form-urlencoded', 'name=Spring']]) {
      const reply = await api.post('/api/campaigns', undefined, { key, raw, headers: { 'content-type': type } });
      expect(reply.status, type).to.equal(415);
      expect(reply.body.error, type).to.deep.equal({ code: 'unsupported_media_type', message: 'Send the body as application/json.' });
    }
    expect((await api.get('/api/campaigns', { key })).body.data).to.deep.equal([]);
  });

  it('a body over 1 MB is a 413', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(1_100_000) });
    const reply = await api.post('/api/campaigns', undefined, { key, raw: huge, headers: { 'content-type': 'application/json' } });
    expect(reply.status).to.equal(413);
    expect(reply.body.error.code).to.equal('payload_too_large');
  });

  it('a body that nests too deeply or holds too many objects is refused before it is parsed', async () => {
    for (const raw of ['['.repeat(200_000) + ']'.repeat(200_000), '{"a":'.repeat(20) + '1' + '}'.repeat(20), JSON.stringify({ name: Array.from({ length: 6_000 }, () => ({})) })]) {
      const reply = await api.post('/api/campaigns', undefined, { key, raw, headers: { 'content-type': 'application/json' } });
      expect(reply.status).to.equal(400);
      expect(reply.body.error.code).to.equal('invalid_json');
    }
    // Brackets inside strings are text, not nesting.
    const named = await api.post('/api/campaigns', { name: '[[[[[[[[[[[[[[[[[[[[[[[[{{{{{{{{' }, { key });
    expect(named.status).to.equal(201);
  });

  it('a thousand bad items are a quick 400 listing at most 20 of them', async () => {
    const source = (await api.post('/api/sources', { provider: 'stripe', mode: 'api_key', api_key: 'sk_test_xxxxxxxxxxxx', webhook_secret: 'whsec_xxxxxxxxxxxx' }, { key })).body;
    const started = Date.now();
    const reply = await api.put(`/api/sources/${source.id}/event-mappings`, Array.from({ length: 100 }, () => ({})), { key });
    expect(reply.status).to.equal(400);
    expect(reply.body.error.details.length).to.be.at.most(20);
    expect(Date.now() - started).to.be.below(2_000);
  });

  it('an infinite number (1e309) is a 400, in a query string or a body', async () => {
    const query = await api.get('/api/campaigns?limit=1e309', { key });
    expect(query.status).to.equal(400);
    expect(query.body.error.details).to.deep.equal([{ in: 'query', pointer: '/limit', message: 'must be a finite number' }]);
    const body = await api.post('/api/conversions', undefined, { key, raw: '{"click_id":"x","order_id":"o","amount":1e309,"currency":"USD"}', headers: { 'content-type': 'application/json' } });
    expect(body.status).to.equal(400);
  });

  it('what the HTTP parser refuses (headers over 16 kB) still gets the error shape', async () => {
    const reply = await api.get('/api/campaigns', { key, headers: { 'x-padding': 'x'.repeat(20_000) } });
    expect(reply.status).to.equal(431);
    expect(reply.body.error.code).to.equal('headers_too_large');
  });

  it('a missing body is a 400 naming it', async () => {
    const reply = await api.post('/api/campaigns', undefined, { key });
    expect(reply.status).to.equal(400);
    expect(reply.body.error.code).to.equal('validation_failed');
  });

  it('an unknown route is a JSON 404 and a wrong method a 405', async () => {
    const unknown = await api.get('/api/nothing-here', { key });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.code).to.equal('not_found');
    expect(unknown.body.error.message).to.be.a('string').and.not.be.empty;
    const wrongMethod = await api.request('PUT', '/api/campaigns', {}, { key });
    expect(wrongMethod.status).to.equal(405);
    expect(wrongMethod.headers.get('allow')).to.contain('POST');
    expect(wrongMethod.body.error.code).to.equal('method_not_allowed');
  });

  it('a value out of bounds is a clear 400 that leaks no SQL or stack', async () => {
    const reply = await api.post('/api/campaigns', { name: 'x'.repeat(201) }, { key });
    expect(reply.status).to.equal(400);
    expect(JSON.stringify(reply.body)).not.to.match(/select|insert|at .*\.ts/i);
  });

  it('describes every route in /openapi.json from the validating schemas', async () => {
    const reply = await api.get('/openapi.json');
    expect(reply.status).to.equal(200);
    expect(reply.body.openapi).to.equal('3.1.0');
    expect(reply.body.paths['/api/campaigns'].post.requestBody.content['application/json'].schema.required).to.include('name');
    expect(Object.keys(reply.body.paths)).to.include.members(['/api/links/{id}', '/api/sources/{id}/event-mappings', '/api/conversions']);
  });
});

describe('the error handler', () => {
  let server: Server;
  let api: Api;
  const errors: Record<string, unknown> = {
    '/bug': new TypeError("Cannot read properties of undefined (reading 'id')"),
    '/sql': Object.assign(new Error('insert into "links" ("slug") values ($1) - syntax error at or near "("'), { code: '42601' }),
    '/unique': Object.assign(new Error('duplicate key value violates unique constraint "links_slug_unique"'), { code: '23505' }),
    '/not-null': Object.assign(new Error('null value in column "name" violates not-null constraint'), { code: '23502' }),
    '/database-down': Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    '/string': 'a thrown string',
    // pg and knex say these only in words, with no SQLSTATE.
    '/terminated': new Error('Connection terminated unexpectedly'),
    '/pool-timeout': Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }),
    '/connect-timeout': new Error('timeout exceeded when trying to connect'),
    '/statement-timeout': Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
  };

  before(async () => {
    const app = new Koa();
    app.silent = true;
    app.use(errorHandler(createLogger('silent')));
    app.use((ctx) => {
      if (ctx.path in errors) throw errors[ctx.path];
    });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = new Api(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('turns anything unexpected into a 500 internal that leaks no message, stack or SQL', async () => {
    for (const path of ['/bug', '/sql', '/string']) {
      const reply = await api.get(path);
      expect(reply.status, path).to.equal(500);
      expect(reply.body, path).to.deep.equal({ error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.' } });
    }
  });

  it('maps database errors: unique → 409, not null → 400, unreachable → 503, without their text', async () => {
    const expected: Record<string, [number, string]> = {
      '/unique': [409, 'conflict'], '/not-null': [400, 'validation_failed'], '/database-down': [503, 'unavailable'],
      '/terminated': [503, 'unavailable'], '/pool-timeout': [503, 'unavailable'], '/connect-timeout': [503, 'unavailable'], '/statement-timeout': [503, 'unavailable'],
    };
    for (const [path, [status, code]] of Object.entries(expected)) {
      const reply = await api.get(path);
      expect(reply.status, path).to.equal(status);
      expect(reply.body.error.code, path).to.equal(code);
      if (status === 503) expect(reply.headers.get('retry-after'), path).to.match(/^\d+$/);
      expect(JSON.stringify(reply.body), path).not.to.match(/constraint|column|ECONNREFUSED|5432|\bat /);
    }
  });
});
