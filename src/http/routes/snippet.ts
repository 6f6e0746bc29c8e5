import type Router from '@koa/router';
import { newRouter } from '../router.js';
import { apiKeyAuth } from '../middleware/auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { documented, validate } from '../validation.js';
import { noBody, textBody } from '../responses.js';
import { conflict, notFound } from '../../errors.js';
import { escapeHtml } from '../pages.js';
import { idPattern } from '../../ids.js';
import type { Sources, SourceView } from '../../sources/sources.js';
import type { SourceCache } from '../../sources/source-cache.js';
import { SnippetTag, SourceParams } from '../../sources/schemas.js';
import type { AttachSnippet } from '../../snippet/attach-snippet.js';
import type { ProviderName } from '../../providers/provider.js';

const SNIPPET_FILE = new RegExp(`^(${idPattern('src').slice(1, -1)})\\.js$`);

const SNIPPET_ANSWERS = {
  responses: {
    200: textBody('application/javascript', 'The attach snippet (gzip when asked), cached for a day'),
    304: noBody('The cached copy is current (If-None-Match)'),
  },
  errors: { 404: 'not_found: an unknown, malformed or disconnected source', 503: 'unavailable, with Retry-After: the database is away' },
};

/**
 * `GET /s/<source_id>.js`, public, loaded by every page of the merchant's site. Cached for a day, as the contract
 * asks: its URL carries no version, so a day is how long a release or a disconnection takes to reach every page,
 * and the ETag makes each revalidation after that a body-less 304.
 */
export function snippetRoutes(deps: { snippets: Record<ProviderName, AttachSnippet>; sources: SourceCache }): Router {
  return newRouter().get('/s/:file', documented(SNIPPET_ANSWERS), async (ctx) => {
    const sourceId = SNIPPET_FILE.exec(ctx.params.file)?.[1];
    const source = sourceId ? await deps.sources.get(sourceId) : null;
    if (!source || source.status === 'disconnected') throw notFound('snippet');
    // attach(payload) fills the payload of the source's provider's checkout.
    const snippet = deps.snippets[source.provider];
    const gzip = ctx.acceptsEncodings('gzip', 'identity') === 'gzip';
    ctx.status = 200;
    ctx.set({
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
      ETag: gzip ? snippet.gzippedEtag : snippet.etag,
      Vary: 'Accept-Encoding',
      'Access-Control-Allow-Origin': '*',
      // Pages that isolate themselves (COEP) may still load it.
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
    });
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    if (gzip) ctx.set('Content-Encoding', 'gzip');
    ctx.body = gzip ? snippet.gzipped : snippet.code;
  });
}

/** `GET /api/sources/:id/snippet`: the script tag to paste into the merchant's pages. */
export function snippetTagRoutes(sources: Sources): Router {
  const router = newRouter('/api/sources');
  router.use(apiKeyAuth(), jsonBody());
  router.get('/:id/snippet', validate({ params: SourceParams, responses: { 200: SnippetTag }, errors: { 409: 'conflict: the source is disconnected, so its snippet is not served' } }), async (ctx) => {
    const source = await sources.get(ctx.state.workspaceId, ctx.params.id);
    // Its script answers 404 once the source is disconnected; a tag that loads nothing would fail silently.
    if (source.status === 'disconnected') throw conflict('This source is disconnected, so its snippet is not served: connect it again first.');
    ctx.body = { html: snippetTag(source) };
  });
  return router;
}

/** The tag to paste into every page: what the API answers, and what the dashboard shows with a copy button. */
export function snippetTag(source: Pick<SourceView, 'snippet_url'>): string {
  return `<script src="${escapeHtml(source.snippet_url)}" async></script>`;
}
