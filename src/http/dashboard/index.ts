import type Router from '@koa/router';
import compress from 'koa-compress';
import { newRouter } from '../router.js';
import type { DashboardDeps } from './deps.js';
import { accountRoutes } from './account-routes.js';
import { assetRoutes } from './asset-routes.js';
import { overviewRoutes } from './overview-routes.js';
import { campaignPages } from './campaign-routes.js';
import { sourcePages } from './source-routes.js';
import { conversionPages } from './conversion-routes.js';
import { settingsPages } from './settings-routes.js';
import { pageHeaders } from './page-headers.js';
import { pageErrors } from './page-errors.js';
import { csrfProtection, readSession, requireSignIn } from './session.js';
import { formBody } from './form-body.js';
import { loadPageContext } from './context.js';

export type { DashboardDeps } from './deps.js';

/**
 * The dashboard: `/`, sign-in and account pages, and `/app/...`, server-rendered; its assets under `/assets/`.
 * Every page gets the security headers, HTML errors, the session, and CSRF checks on anything that changes state.
 */
export function dashboardRoutes(deps: DashboardDeps): Router[] {
  const common = [compress({ threshold: 1024 }), pageHeaders(), pageErrors(deps.assets, deps.logger), readSession(deps.sessions), formBody(), csrfProtection(deps.publicUrl)];

  const accountRouter = newRouter();
  accountRouter.use(...common);
  accountRoutes(accountRouter, deps);

  const app = newRouter('/app');
  app.use(...common, requireSignIn(), loadPageContext(deps));
  overviewRoutes(app, deps);
  campaignPages(app, deps);
  sourcePages(app, deps);
  conversionPages(app, deps);
  settingsPages(app, deps);
  // Any other address under /app: the sign-in page for nobody, a page saying so for a person.
  app.all('/{*rest}', (ctx) => {
    ctx.status = 404;
  });

  return [assetRoutes(deps.assets), accountRouter, app];
}
