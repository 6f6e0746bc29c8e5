import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useService } from '../support/service.js';
import { Api, Contract, contractOf } from '../support/http.js';

type Answer = { description?: string; content?: Record<string, { schema?: Record<string, unknown> }> };
type Operation = { responses?: Record<string, Answer>; parameters?: { name: string; in: string }[]; security?: unknown[] };

/** Error answers whose body is not the error shape, on purpose: /healthz's 503 says what is down. */
const OWN_ERROR_BODIES = new Set(['GET /healthz 503']);

describe('/openapi.json and the check of every answer against it', () => {
  const suite = useService();
  let document: { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
  let operations: [string, Operation][];

  before(async () => {
    document = (await suite.api.get('/openapi.json')).body;
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as [string, Operation]),
    );
  });

  it('is OpenAPI 3.1 with each path parameter declared and each answer described', () => {
    expect(document.openapi).to.equal('3.1.0');
    for (const [name, operation] of operations) {
      const path = name.split(' ')[1];
      for (const [, parameter] of path.matchAll(/\{(\w+)\}/g)) {
        expect(operation.parameters?.some((p) => p.in === 'path' && p.name === parameter), `${name}: {${parameter}}`).to.equal(true);
      }
      for (const [status, answer] of Object.entries(operation.responses ?? {})) {
        expect(status, name).to.match(/^[1-5]\d\d$/);
        expect(answer.description, `${name} ${status}`).to.be.a('string').and.not.be.empty;
      }
    }
  });

  it('describes the public JSON routes and the API, and leaves out only the click path', () => {
    expect(Object.keys(document.paths)).to.include.members([
      '/healthz', '/webhooks/stripe/connect', '/webhooks/{provider}/{source_id}', '/api/workspaces', '/api/campaigns/{id}',
      '/api/links/{id}', '/api/sources/{id}/event-mappings', '/api/sources/{id}/webhook-logs', '/api/conversions', '/openapi.json',
    ]);
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/c/'))).to.deep.equal([]);
  });

  it('gives every operation a success answer with a schema, and every error answer the one error shape', () => {
    expect(document.components.schemas.Error).to.have.nested.property('properties.error.required').that.deep.equals(['code', 'message']);
    for (const [name, operation] of operations) {
      const responses = Object.entries(operation.responses ?? {});
      const successes = responses.filter(([status, answer]) => status.startsWith('2') && Object.values(answer.content ?? {}).some((media) => media.schema));
      expect(successes, `${name} declares no 2xx answer with a schema`).not.to.be.empty;
      for (const [status, answer] of responses.filter(([status]) => Number(status) >= 400)) {
        const json = answer.content?.['application/json'];
        if (!json || OWN_ERROR_BODIES.has(`${name} ${status}`)) continue; // the OAuth callback answers browsers with pages
        expect(json.schema, `${name} ${status}`).to.deep.equal({ $ref: '#/components/schemas/Error' });
      }
    }
  });

  it('says which routes need a key: the API does, the public routes do not', () => {
    for (const [name, operation] of operations) {
      const isPublic = !name.includes(' /api/');
      expect(operation.security, name).to.deep.equal(isPublic ? [] : undefined);
      if (!isPublic) expect(operation.responses, name).to.have.property('401');
    }
  });

  it('refuses a body that breaks the schema, and a status it does not document, naming method, path and status', async () => {
    const contract = await contractOf(suite.api.baseUrl);
    expect(contract).to.be.instanceOf(Contract);
    const { key } = await suite.api.workspace();
    const campaign = await suite.api.campaign(key, { coupon_codes: ['SPRING20'] });
    const path = `/api/campaigns/${campaign.id}`;
    expect(contract!.violation({ method: 'GET', path, status: 200, body: campaign })).to.equal(null);

    const wrong = [
      { ...campaign, coupon_codes: 'SPRING20' },
      { ...campaign, archived_at: undefined },
      { ...campaign, secret: 'leaked' },
      { ...campaign, created_at: 'yesterday' },
    ].map((body) => JSON.parse(JSON.stringify(body)));
    for (const body of wrong) {
      const violation = contract!.violation({ method: 'GET', path, status: 200, body });
      expect(violation, JSON.stringify(body)).to.be.a('string').and.include(`GET ${path} answered 200`).and.include('GET /api/campaigns/{id}');
    }
    expect(contract!.violation({ method: 'GET', path, status: 200, body: wrong[0] })).to.include('/coupon_codes must be array');
    expect(contract!.violation({ method: 'GET', path, status: 418, body: campaign })).to.include('a status /openapi.json does not document');
    expect(contract!.violation({ method: 'GET', path, status: 404, body: { error: { code: 'not_found' } } })).to.include("must have required property 'message'");
    // A path the document does not describe is not checked, but a JSON error there still has the error shape.
    expect(contract!.violation({ method: 'GET', path: '/c/spring', status: 200, body: { anything: true } })).to.equal(null);
    expect(contract!.violation({ method: 'GET', path: '/nowhere', status: 404, body: { message: 'no' } })).to.be.a('string');
  });

  describe('the suite’s client', () => {
    let server: Server;
    let fake: Api;
    before(async () => {
      // A server that serves the service's own document, but answers a campaign with a wrong body and a teapot.
      server = createServer((req, res) => {
        const [status, body] = req.url === '/openapi.json' ? [200, document] : req.url === '/api/campaigns/cmp_01J0000000000000000000000Z' ? [200, { id: 1 }] : [418, { error: { code: 'teapot', message: 'No.' } }];
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      fake = new Api(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    it('fails any test that receives an answer the document does not allow', async () => {
      let thrown: Error | null = null;
      await fake.get('/api/campaigns/cmp_01J0000000000000000000000Z').catch((error: Error) => (thrown = error));
      expect(thrown, 'a wrong body passed unnoticed').to.be.instanceOf(Error);
      expect(thrown!.message).to.include('GET /api/campaigns/cmp_01J0000000000000000000000Z answered 200').and.include('/id must be string');

      thrown = null;
      await fake.post('/api/links', { campaign_id: 'cmp_01J0000000000000000000000Z' }).catch((error: Error) => (thrown = error));
      expect(thrown, 'an undocumented status passed unnoticed').to.be.instanceOf(Error);
      expect(thrown!.message).to.include('POST /api/links answered 418').and.include('does not document');
    });
  });
});
