import Router from '@koa/router';
import type { Context } from 'koa';
import type { ClickTracker } from '../../clicks/click-tracker.js';

const COUNTRY_HEADERS = ['cf-ipcountry', 'x-vercel-ip-country', 'cloudfront-viewer-country', 'x-country-code'];

/** `GET /c/:slug`, the hot path: no auth, no body parsing, no database read for a cached link. */
export function clickRoutes(tracker: ClickTracker, options: { secureCookie: boolean }): Router {
  const cookieSuffix = `; Path=/; Max-Age=7776000; SameSite=Lax${options.secureCookie ? '; Secure' : ''}`;
  const router = new Router();

  router.get('/c/:slug', async (ctx) => {
    const headers = ctx.req.headers;
    const outcome = await tracker.visit(ctx.params.slug, {
      method: ctx.method,
      ip: ctx.ip || null,
      userAgent: headers['user-agent'],
      referer: headers.referer,
      country: countryOf(headers),
    });
    ctx.set('Cache-Control', 'no-store');
    if (outcome.kind === 'unknown_link') return page(ctx, 404, 'This link does not exist.');
    if (outcome.kind === 'archived_link') return page(ctx, 410, 'This link has been retired.');
    if (outcome.clickId) ctx.set('Set-Cookie', `_syx_cid=${outcome.clickId}${cookieSuffix}`);
    ctx.status = 302;
    ctx.set('Location', outcome.location);
  });
  return router;
}

function countryOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  for (const name of COUNTRY_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function page(ctx: Context, status: 404 | 410, message: string): void {
  ctx.status = status;
  if (ctx.accepts('html', 'json') === 'json') {
    ctx.body = { error: { code: status === 404 ? 'not_found' : 'gone', message } };
    return;
  }
  ctx.type = 'html';
  ctx.body = `<!doctype html><meta charset="utf-8"><title>${status}</title><p>${message}</p>`;
}
