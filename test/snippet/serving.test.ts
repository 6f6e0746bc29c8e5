import { expect } from 'chai';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { attachSnippet } from '../../src/snippet/attach-snippet.js';
import { useService } from '../support/service.js';
import { stripeSource } from '../support/webhooks.js';
import { paddleSource } from '../support/paddle-events.js';
import { PROVIDERS } from '../../src/providers/provider.js';

const BUDGET_BYTES = 1536; // 1.5 KB gzipped

function revalidate(url: string, etag: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'if-none-match': etag, 'accept-encoding': 'identity' } }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk)).on('end', () => resolve({ status: response.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('snippet: serving /s/:source_id.js', () => {
  const suite = useService();

  async function source() {
    const { key } = await suite.api.workspace();
    return { key, source: await stripeSource(suite.api, key) };
  }

  it('stays within its 1.5 KB gzipped budget, as built for every provider', async () => {
    for (const provider of PROVIDERS) {
      const snippet = await attachSnippet(provider);
      expect(snippet.gzipped.length, provider).to.be.at.most(BUDGET_BYTES);
      expect(gzipSync(snippet.code, { level: 9 }).length).to.equal(snippet.gzipped.length);
    }
  });

  it('serves each source the build for its provider: Stripe and Polar share one, Paddle and Lemon Squeezy have their own', async () => {
    const [stripe, polar, paddle, lemon] = await Promise.all((['stripe', 'polar', 'paddle', 'lemonsqueezy'] as const).map((provider) => attachSnippet(provider)));
    expect(polar.etag).to.equal(stripe.etag);
    expect(new Set([stripe.etag, paddle.etag, lemon.etag]).size).to.equal(3);
    const { key } = await suite.api.workspace();
    const source = await paddleSource(suite.api, key);
    const reply = await suite.api.get(`/s/${source.id}.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(reply.body).to.equal(paddle.code.toString('utf8'));
    expect(reply.headers.get('etag')).to.equal(paddle.etag);
  });

  it('serves the script cacheable, with an ETag, to any origin, and answers a revalidation 304', async () => {
    const { source: { id, snippet_url: snippetUrl } } = await source();
    expect(snippetUrl).to.match(new RegExp(`^https?://[^/]+/s/${id}\\.js$`));
    const reply = await suite.api.get(`/s/${id}.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(reply.status).to.equal(200);
    expect(reply.headers.get('content-type')).to.match(/^application\/javascript/);
    expect(reply.headers.get('cache-control'), 'long-lived: a day').to.equal('public, max-age=86400');
    expect(reply.headers.get('vary')).to.equal('Accept-Encoding');
    expect(reply.headers.get('access-control-allow-origin')).to.equal('*');
    const etag = reply.headers.get('etag')!;
    expect(etag).to.match(/^"[\w-]+"$/);
    expect(reply.body).to.equal((await attachSnippet('stripe')).code.toString('utf8'));
    expect(reply.body).to.contain('synaptyx');

    // A browser's revalidation of its cached copy (fetch() would add Cache-Control: no-cache to a conditional request).
    const again = await revalidate(`${suite.running.url}/s/${id}.js`, etag);
    expect(again).to.deep.equal({ status: 304, body: '' });

    const gzipped = await suite.api.get(`/s/${id}.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).to.equal('gzip');
    expect(gzipped.body, 'fetch inflates it').to.equal(reply.body);
    expect(gzipped.headers.get('etag')).to.not.equal(etag);
  });

  it('answers 404 for an unknown, malformed or disconnected source', async () => {
    const { key, source: { id } } = await source();
    for (const path of ['/s/src_01M00000000000000000000000.js', '/s/nonsense.js', `/s/${id}`, `/s/${id}.css`]) {
      expect((await suite.api.get(path)).status, path).to.equal(404);
    }
    await suite.api.delete(`/api/sources/${id}`, { key });
    expect((await suite.api.get(`/s/${id}.js`)).status).to.equal(404);
  });

  it('gives the workspace its copy-and-paste script tag, and no one else', async () => {
    const { key, source: { id, snippet_url: snippetUrl } } = await source();
    const reply = await suite.api.get(`/api/sources/${id}/snippet`, { key });
    expect(reply.status).to.equal(200);
    expect(reply.body).to.deep.equal({ html: `<script src="${snippetUrl}" async></script>` });

    const stranger = await suite.api.workspace();
    expect((await suite.api.get(`/api/sources/${id}/snippet`, { key: stranger.key })).status).to.equal(404);
    expect((await suite.api.get(`/api/sources/${id}/snippet`)).status).to.equal(401);
    expect((await suite.api.get('/api/sources/nonsense/snippet', { key })).status).to.equal(400);

    await suite.api.delete(`/api/sources/${id}`, { key });
    const disconnected = await suite.api.get(`/api/sources/${id}/snippet`, { key });
    expect(disconnected.status, 'its script would answer 404').to.equal(409);
    expect(disconnected.body.error.message).to.match(/disconnected/);
  });
});
