import Koa from 'koa';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Campaigns } from '../campaigns/campaigns.js';
import type { Links } from '../links/links.js';
import type { Sources } from '../sources/sources.js';
import type { SourceCache } from '../sources/source-cache.js';
import type { AttachSnippet } from '../snippet/attach-snippet.js';
import type { ProviderName } from '../providers/provider.js';
import type { Conversions } from '../conversions/conversions.js';
import type { WebhookPipeline } from '../webhooks/pipeline.js';
import type { ConnectWebhooks } from '../webhooks/connect.js';
import type { Connections } from '../sources/connections.js';
import type { ClickWriter } from '../clicks/click-writer.js';
import { requestId } from './middleware/request-id.js';
import { errorHandler } from './middleware/errors.js';
import { workspaceRoutes } from './routes/workspaces.js';
import { campaignRoutes } from './routes/campaigns.js';
import { linkRoutes } from './routes/links.js';
import { healthRoutes } from './routes/health.js';
import { sourceRoutes } from './routes/sources.js';
import { conversionRoutes } from './routes/conversions.js';
import { webhookRoutes } from './routes/webhooks.js';
import { oauthCallbackRoutes, oauthRoutes } from './routes/oauth.js';
import { snippetRoutes, snippetTagRoutes } from './routes/snippet.js';
import { reportRoutes } from './routes/reports.js';
import { workspaceSettingsRoutes } from './routes/workspace.js';
import { spendRoutes } from './routes/spend.js';
import type { Reports } from '../reports/reports.js';
import type { CampaignSpend } from '../campaigns/spend.js';
import { openApiDocument } from './openapi.js';
import { newRouter } from './router.js';
import { dashboardRoutes, type DashboardDeps } from './dashboard/index.js';
import { readSession } from './dashboard/session.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Knex;
  campaigns: Campaigns;
  links: Links;
  sources: Sources;
  conversions: Conversions;
  pipeline: WebhookPipeline;
  sourceCache: SourceCache;
  snippets: Record<ProviderName, AttachSnippet>;
  connections: Connections;
  connectWebhooks: ConnectWebhooks;
  clickWriter: ClickWriter;
  reports: Reports;
  spend: CampaignSpend;
  dashboard: DashboardDeps;
}

/** The Koa application, not listening: main.ts serves it, tests bind it to a random port. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: deps.config.trustProxy });
  app.silent = true; // errors are logged by errorHandler, with the request id
  app.context.bodyTimeoutMs = deps.config.bodyTimeoutMs;

  const publicRoutes = [
    healthRoutes(deps.db, deps.clickWriter),
    webhookRoutes(deps.pipeline, deps.connectWebhooks),
    oauthCallbackRoutes(deps.connections, deps.logger, readSession(deps.dashboard.sessions)),
    snippetRoutes({ snippets: deps.snippets, sources: deps.sourceCache }),
  ];
  const apiRoutes = [
    workspaceRoutes(deps.config.adminToken),
    campaignRoutes(deps.campaigns),
    linkRoutes(deps.links),
    oauthRoutes(deps.connections),
    sourceRoutes(deps.sources, deps.db, deps.connections),
    conversionRoutes(deps.conversions),
    snippetTagRoutes(deps.sources),
    workspaceSettingsRoutes(),
    spendRoutes(deps.spend),
    reportRoutes(deps.reports),
  ];
  const openApi = openApiDocument(apiRoutes, deps.config.publicUrl, publicRoutes);
  const docs = newRouter().get('/openapi.json', (ctx) => {
    ctx.body = openApi;
  });

  app.use(requestId());
  app.use(errorHandler(deps.logger));
  // Each API router reads a request's body only after its key checked out (routes/*: apiKeyAuth, then jsonBody).
  for (const router of [...publicRoutes, docs, ...apiRoutes, ...dashboardRoutes(deps.dashboard)]) app.use(router.routes()).use(router.allowedMethods());
  return app;
}
