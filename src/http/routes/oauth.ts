import type Router from '@koa/router';
import { newRouter } from '../router.js';
import type { Context, Middleware } from 'koa';
import { DomainError } from '../../errors.js';
import { answerFor } from '../middleware/errors.js';
import { apiKeyAuth } from '../middleware/auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { validate } from '../validation.js';
import { htmlPage } from '../pages.js';
import type { CallbackQuery, Connections } from '../../sources/connections.js';
import { OAuthProviderParams, StartOAuthBody } from '../../sources/schemas.js';
import { isProviderName, type ProviderName } from '../../providers/provider.js';
import type { Logger } from '../../logger.js';


/** `POST /api/sources/oauth/:provider` → `{authorize_url}`: where the merchant's browser goes to connect. */
export function oauthRoutes(connections: Connections): Router {
  const router = newRouter('/api/sources/oauth');
  router.use(apiKeyAuth(), jsonBody());
  router.post('/:provider', emptyBodyAsObject(), validate({ params: OAuthProviderParams, body: StartOAuthBody }), async (ctx) => {
    ctx.body = await connections.start(ctx.state.workspaceId, ctx.params.provider as ProviderName, ctx.request.body as StartOAuthBody);
  });
  return router;
}

/**
 * `GET /oauth/:provider/callback`: the provider sends the merchant's browser back here. Success redirects to the
 * return URL given at the start (or shows a page); anything wrong shows a page that says what and what to do.
 */
export function oauthCallbackRoutes(connections: Connections, logger: Logger): Router {
  return newRouter().get('/oauth/:provider/callback', async (ctx) => {
    const { provider } = ctx.params;
    ctx.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    if (!isProviderName(provider)) return answerPage(ctx, 404, 'Not found', 'Synaptyx has no connection flow for this provider.');
    try {
      const { source, reconnected, returnUrl } = await connections.complete(provider as ProviderName, callbackQuery(ctx));
      if (returnUrl) {
        const target = new URL(returnUrl);
        target.searchParams.set('source_id', source.id);
        target.searchParams.set('status', reconnected ? 'reconnected' : 'connected');
        return ctx.redirect(target.href);
      }
      const account = source.name ?? source.account_id ?? source.id;
      answerPage(ctx, 200, reconnected ? 'Reconnected' : 'Connected', `${account} is connected to Synaptyx as source ${source.id}. You can close this page.`);
    } catch (error) {
      if (error instanceof DomainError) {
        const { status } = answerFor(error);
        return answerPage(ctx, status, status >= 500 ? 'The provider did not answer' : 'Not connected', error.message);
      }
      // The merchant's browser gets a page either way; the details go to the log, never to the page.
      logger.error({ err: error, provider, req_id: ctx.state.requestId }, 'OAuth callback failed');
      answerPage(ctx, 500, 'Something went wrong', 'Synaptyx could not finish the connection. Start it again from Synaptyx; if it keeps failing, contact support.');
    }
  });
}

function answerPage(ctx: Context, status: number, title: string, message: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = htmlPage(title, message);
}

function callbackQuery(ctx: Context): CallbackQuery {
  const one = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : undefined);
  return { code: one('code'), state: one('state'), error: one('error'), error_description: one('error_description') };
}

/** The body is optional: no body means no options. */
function emptyBodyAsObject(): Middleware {
  return (ctx, next) => {
    ctx.request.body ??= {};
    return next();
  };
}
