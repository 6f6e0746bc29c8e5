import { expect } from 'chai';
import { request } from 'node:http';
import { useService } from '../support/service.js';

/** Case variants of a path's fixed segments: every letter upper-cased, the first segment capitalised, the last upper-cased. */
function caseVariants(path: string): string[] {
  const segments = path.split('/');
  const fixed = segments.map((segment, i) => ({ segment, i })).filter(({ segment }) => segment && !segment.startsWith('{'));
  const first = fixed[0];
  const last = fixed[fixed.length - 1];
  const variant = (change: (segment: string, i: number) => string) => segments.map(change).join('/');
  return [
    variant((segment) => (segment.startsWith('{') ? segment : segment.toUpperCase())),
    variant((segment, i) => (i === first.i ? segment[0].toUpperCase() + segment.slice(1) : segment)),
    variant((segment, i) => (i === last.i ? segment.toUpperCase() : segment)),
  ].filter((candidate) => candidate !== path);
}

/** fetch refuses TRACE and friends; node:http sends any method. */
function rawRequest(baseUrl: string, method: string, path: string, key: string): Promise<{ status: number; allow: string | undefined; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, baseUrl), { method, headers: { authorization: `Bearer ${key}` } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, allow: res.headers.allow, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end();
  });
}

const filled = (path: string) => path.replace(/\{(\w+)\}/g, (_, name) => (name === 'provider' ? 'stripe' : 'x'));

describe('routing', () => {
  const suite = useService();

  it('matches paths case-sensitively: a case variant of any API route reaches no handler, with or without a key', async () => {
    const { api } = suite;
    const { key } = await api.workspace();
    const { paths } = (await api.get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    let operations = 0;
    for (const [path, methods] of Object.entries(paths)) {
      for (const method of Object.keys(methods)) {
        operations++;
        for (const variant of caseVariants(path).map(filled)) {
          for (const credentials of [{}, { key }]) {
            const reply = await api.request(method.toUpperCase(), variant, method === 'get' || method === 'delete' ? undefined : { name: 'Probe' }, credentials);
            const label = `${method.toUpperCase()} ${variant} ${'key' in credentials ? 'with' : 'without'} a key`;
            expect(reply.status, label).to.equal(404);
            expect(reply.body.error.code, label).to.equal('not_found');
          }
        }
      }
    }
    expect(operations).to.be.greaterThan(20);
    // Nothing was written by any of them: the workspace has no campaign.
    expect((await api.get('/api/campaigns', { key })).body.data).to.deep.equal([]);
  });

  it('answers a method no route takes with 405 and Allow where the path exists, and 404 where it does not', async () => {
    const { api } = suite;
    const { key } = await api.workspace();
    for (const method of ['TRACE', 'PROPFIND', 'PUT']) {
      const existing = await rawRequest(suite.running.url, method, '/api/campaigns', key);
      expect(existing.status, method).to.equal(405);
      expect(existing.allow, method).to.include('GET');
      expect(existing.body.error.code, method).to.equal('method_not_allowed');
      const missing = await rawRequest(suite.running.url, method, '/api/nothing-here', key);
      expect(missing.status, method).to.equal(404);
      expect(missing.body.error.code, method).to.equal('not_found');
    }
    const webhook = await api.get('/webhooks/stripe/src_01J0000000000000000000000Z');
    expect(webhook.status).to.equal(405);
    expect(webhook.headers.get('allow')).to.include('POST');
  });
});
