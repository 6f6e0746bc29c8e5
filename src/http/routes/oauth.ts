import type Router from '@koa/router';
import { newRouter } from '../router.js';
import type { Context, Middleware } from 'koa';
import { DomainError } from '../../errors.js';
import { answerFor } from '../middleware/errors.js';
import { apiKeyAuth } from '../middleware/auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { documented, validate } from '../validation.js';
import { noBody, textBody } from '../responses.js';
import { htmlPage } from '../pages.js';
import type { CallbackQuery, Connections } from '../../sources/connections.js';
import { OAuthProviderParams, OAuthStart, StartOAuthBody } from '../../sources/schemas.js';
import { isProviderName, type ProviderName } from '../../providers/provider.js';
import type { Logger } from '../../logger.js';

const START_REFUSED = 'validation_failed (a return_url on a host Synaptyx does not send browsers to), oauth_not_configured: the platform app is not set up, or oauth_not_supported: the provider connects by API key only';

/** The callback answers the merchant's browser with pages, never JSON. */
const page = (when: string) => textBody('text/html', when);
const CALLBACK_ANSWERS = {
  responses: {
    200: page('Connected: a page saying so (no return_url was given)'),
    302: noBody('Connected: to the return_url, with ?source_id=&status=connected|reconnected'),
    400: page('Not connected: the state is invalid, expired or used, was started in another browser session, the merchant declined, or the provider refused the code'),
    404: page('No connection flow for this provider'),
    409: page('The account is connected to another workspace'),
    500: page('Something went wrong; the details are in the log'),
    502: page('The provider did not answer'),
  },
};

/** `POST /api/sources/oauth/:provider` → `{authorize_url}`: where the merchant's browser goes to connect. */
export function oauthRoutes(connections: Connections): Router {
  const router = newRouter('/api/sources/oauth');
  router.use(apiKeyAuth(), jsonBody());
  router.post('/:provider', emptyBodyAsObject(), validate({ params: OAuthProviderParams, body: StartOAuthBody, responses: { 200: OAuthStart }, errors: { 400: START_REFUSED } }), async (ctx) => {
    ctx.body = await connections.start(ctx.state.workspaceId, ctx.params.provider as ProviderName, ctx.request.body as StartOAuthBody);
  });
  return router;
}

/**
 * `GET /oauth/:provider/callback`: the provider sends the merchant's browser back here. Success redirects to the
 * return URL given at the start (or shows a page); anything wrong shows a page that says what and what to do.
 */
export function oauthCallbackRoutes(connections: Connections, logger: Logger, session: Middleware): Router {
  return newRouter().get('/oauth/:provider/callback', documented(CALLBACK_ANSWERS), session, async (ctx) => {
    const { provider } = ctx.params;
    ctx.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    if (!isProviderName(provider)) return answerPage(ctx, 404, 'Not found', 'Synaptyx has no connection flow for this provider.');
    try {
      const { source, reconnected, returnUrl } = await connections.complete(provider as ProviderName, callbackQuery(ctx), ctx.state.signedIn?.sessionId ?? null);
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
