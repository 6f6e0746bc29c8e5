import { expect } from 'chai';
import { useService } from './support/service.js';
import { Api } from './support/http.js';

describe('GET /healthz', () => {
  const suite = useService();

  it('answers ok with the database up', async () => {
    const reply = await suite.api.get('/healthz');
    expect(reply.status).to.equal(200);
    expect(reply.body).to.deep.equal({ status: 'ok', db: 'ok', clicks: { pending: 0, dropped: 0 } });
    expect(reply.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });
});
