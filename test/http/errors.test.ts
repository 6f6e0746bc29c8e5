import { expect } from 'chai';
import { startService, type RunningService } from '../support/service.js';
import { Api } from '../support/http.js';

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
    const reply = await api.post('/api/campaigns', undefined, { key, raw: 'name=Spring', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(reply.status).to.equal(415);
    expect(reply.body.error.code).to.equal('unsupported_media_type');
  });

  it('a body over 1 MB is a 413', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(1_100_000) });
    const reply = await api.post('/api/campaigns', undefined, { key, raw: huge, headers: { 'content-type': 'application/json' } });
    expect(reply.status).to.equal(413);
    expect(reply.body.error.code).to.equal('payload_too_large');
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
    expect((await api.request('PUT', '/api/campaigns', {}, { key })).status).to.equal(405);
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
