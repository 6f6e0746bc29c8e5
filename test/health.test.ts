import { expect } from 'chai';
import { startService, type RunningService } from './support/service.js';
import { Api } from './support/http.js';

describe('GET /healthz', () => {
  let running: RunningService;
  let api: Api;
  before(async () => {
    running = await startService();
    api = new Api(running.url);
  });
  after(() => running.stop());

  it('answers ok with the database up', async () => {
    const reply = await api.get('/healthz');
    expect(reply.status).to.equal(200);
    expect(reply.body).to.deep.equal({ status: 'ok', db: 'ok' });
    expect(reply.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });
});
