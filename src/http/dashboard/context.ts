import type { Context, Middleware } from 'koa';
import type { PageContext } from '../../dashboard/page-context.js';
import { sourceName } from '../../sources/sources.js';
import type { DashboardDeps } from './deps.js';
import { takeFlash } from './cookies.js';
import { signedIn } from './session.js';

declare module 'koa' {
  interface DefaultState {
    page?: PageContext;
  }
}

/** Loads what every signed-in page's layout shows; runs after requireSignIn() on GET requests. */
export function loadPageContext(deps: Pick<DashboardDeps, 'members' | 'sources' | 'assets' | 'secureCookies'>): Middleware {
  return async (ctx, next) => {
    const session = signedIn(ctx);
    const [workspaces, sources] = await Promise.all([deps.members.workspacesOf(session.userId), deps.sources.list(session.workspaceId, { limit: 200 })]);
    const warnings = sources.data
      .filter((source) => source.status === 'failing' || source.status === 'expiring')
      .map((source) => ({
        sourceId: source.id,
        name: sourceName(source),
        status: source.status,
        reason: source.health.reason ?? 'Open the source to see what happened.',
      }));
    ctx.state.page = { signedIn: session, workspaces, warnings, flash: takeFlash(ctx, deps.secureCookies), assets: deps.assets, path: ctx.path };
    return next();
  };
}

export function pageOf(ctx: Context): PageContext {
  if (!ctx.state.page) throw new Error('a page rendered without loadPageContext()');
  return ctx.state.page;
}
