import { createServer, type Server } from 'node:http';
import type Koa from 'koa';
import type { Knex } from 'knex';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { knexConfig, knexLog, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrations.js';
import { Campaigns } from './campaigns/campaigns.js';
import { LinkCache } from './links/link-cache.js';
import { LinkOwners } from './links/link-owners.js';
import { Links } from './links/links.js';
import { ClickIds } from './clicks/click-id.js';
import { ClickWriter, type ClickWriterOptions } from './clicks/click-writer.js';
import { ClickTracker } from './clicks/click-tracker.js';
import { createApp } from './http/app.js';
import { Reports } from './reports/reports.js';
import { CampaignSpend } from './campaigns/spend.js';
import { CacheBus } from './db/cache-bus.js';
import { clickPath } from './http/click-path.js';
import { answerClientError } from './http/client-errors.js';
import { createProviders } from './providers/index.js';
import { SecretBox } from './sources/secret-box.js';
import { Sources } from './sources/sources.js';
import { SourceCache } from './sources/source-cache.js';
import { Conversions } from './conversions/conversions.js';
import { WebhookPipeline } from './webhooks/pipeline.js';
import { BadDeliveries } from './webhooks/bad-deliveries.js';
import { JobScheduler } from './jobs/scheduler.js';
import { backgroundJobs } from './jobs/index.js';
import { createOAuthApps } from './providers/oauth.js';
import { credentialsOf } from './sources/credentials.js';
import { OAuthStates } from './sources/oauth-states.js';
import { Connections } from './sources/connections.js';
import { ConnectWebhooks } from './webhooks/connect.js';
import { attachSnippets } from './snippet/attach-snippet.js';
import { dashboardAssets } from './dashboard/assets.js';
import { Accounts } from './accounts/accounts.js';
import { Sessions } from './accounts/sessions.js';
import { SignInThrottle } from './accounts/sign-in-throttle.js';
import { Members } from './accounts/members.js';

export interface Service {
  config: Config;
  logger: Logger;
  db: Knex;
  app: Koa;
  clickIds: ClickIds;
  clickWriter: ClickWriter;
  pipeline: WebhookPipeline;
  accounts: Accounts;
  /** Background jobs (retention, token refresh, reconciliation, health); `jobs.runOnce()` runs each once. */
  jobs: JobScheduler;
  /** Listens on config.port/host (or the given port; 0 picks a free one). */
  listen(port?: number): Promise<Server>;
  /** Stops accepting, writes every pending click, closes the database. */
  stop(): Promise<void>;
}

/** How long a shutdown waits for requests in flight, for jobs, and for the pool to close (each). */
const SHUTDOWN_STEP_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

export interface ServiceOptions {
  logger?: Logger;
  /** Use this database instead of opening one from the configuration (tests share one). */
  db?: Knex;
  clickWriter?: Partial<ClickWriterOptions>;
  /** Schedule the background jobs on their intervals (default true; `npm run jobs -- once` runs them itself). */
  startJobs?: boolean;
}

/** Wires the whole service together and brings the schema up to date; nothing listens until listen(). */
export async function createService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = options.db ?? openDatabase({ ...(await knexConfig(config)), log: knexLog(logger) });
  await migrateToLatest(db);

  const bus = new CacheBus({ db, databaseUrl: config.databaseUrl, logger });
  await bus.start();
  const cache = new LinkCache(bus, { ttlMs: config.linkCacheTtlMs, missTtlMs: 5_000, maxEntries: 50_000, maxMisses: 10_000 });
  const linkOwners = new LinkOwners(bus);
  const clickIds = new ClickIds(config.secret);
  const clickWriter = new ClickWriter(
    { db, logger, secret: config.secret },
    { flushIntervalMs: config.clickFlushMs, maxPending: config.clickQueueMax, ...options.clickWriter },
  );
  const campaigns = new Campaigns({ onChange: (campaignId) => cache.forgetCampaign(campaignId) });
  const links = new Links({ cache, owners: linkOwners, publicUrl: config.publicUrl });
  const tracker = new ClickTracker({ cache, clickIds, writer: clickWriter });
  const secretBox = new SecretBox(config.encryptionKeys);
  const providers = createProviders(config);
  const oauthApps = createOAuthApps(config);
  const credentialsFor = (source: Parameters<typeof credentialsOf>[0]) => credentialsOf(source, { secretBox, apps: oauthApps });
  const sourceCache = new SourceCache(bus);
  const sources = new Sources({ secretBox, publicUrl: config.publicUrl, providers, cache: sourceCache, logger });
  const conversions = new Conversions({ db, clickIds, links: linkOwners });
  const badDeliveries = new BadDeliveries({ perWindow: config.badDeliveriesPerMinute, windowMs: 60_000 });
  const pipeline = new WebhookPipeline({ db, logger, clickIds, links: linkOwners, secretBox, sources: sourceCache, providers, credentialsFor, badDeliveries });
  const states = new OAuthStates({ db, secret: config.secret });
  const connections = new Connections({ db, logger, secretBox, publicUrl: config.publicUrl, allowedReturnHosts: config.allowedReturnHosts, apps: oauthApps, providers, states, sources, cache: sourceCache });
  const connectWebhooks = new ConnectWebhooks({ db, logger, pipeline, sources: sourceCache, stripe: providers.stripe, signingSecret: config.stripe.connectWebhookSecret });
  const snippets = await attachSnippets();
  const sessions = new Sessions({ db });
  const accounts = new Accounts({ db, publicUrl: config.publicUrl, sessions, throttle: new SignInThrottle({ db }) });
  const reports = new Reports({ db });
  const spend = new CampaignSpend({ db });
  const dashboard = {
    db,
    logger,
    publicUrl: config.publicUrl,
    secureCookies: config.publicUrl.startsWith('https:'),
    assets: await dashboardAssets(),
    accounts,
    sessions,
    members: new Members({ publicUrl: config.publicUrl }),
    campaigns,
    spend,
    links,
    sources,
    connections,
    oauthApps,
    conversions,
    reports,
  };
  const app = createApp({ config, logger, db, campaigns, links, sources, conversions, pipeline, sourceCache, snippets, connections, connectWebhooks, clickWriter, reports, spend, dashboard });
  const clicks = clickPath(tracker, { secureCookie: config.publicUrl.startsWith('https:'), trustProxy: config.trustProxy, logger });
  const koa = app.callback();
  const jobs = new JobScheduler({
    db,
    logger,
    jobs: backgroundJobs({ db, logger, secretBox, apps: oauthApps, cache: sourceCache, pipeline, providers, credentialsOf: credentialsFor }, config.jobs),
  });
  clickWriter.start();
  if (options.startJobs !== false) jobs.start();

  let server: Server | null = null;
  return {
    config,
    logger,
    db,
    app,
    clickIds,
    clickWriter,
    pipeline,
    accounts,
    jobs,
    listen(port = config.port) {
      return new Promise((resolve, reject) => {
        // A slow client is cut off: headers within 10 s, the whole request within the body timeout and 5 s more.
        server = createServer({ headersTimeout: 10_000, requestTimeout: config.bodyTimeoutMs + 15_000 }, (req, res) => clicks(req, res) || koa(req, res));
        server.on('clientError', answerClientError);
        server.listen(port, config.host, () => resolve(server!));
        server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout
        server.once('error', reject);
      });
    },
    // Every step is bounded, so a database that hangs cannot keep the process from exiting.
    async stop() {
      if (server) {
        const closed = new Promise((resolve) => server!.close(resolve));
        server.closeIdleConnections();
        await Promise.race([closed, sleep(SHUTDOWN_STEP_MS)]);
        server.closeAllConnections();
      }
      await Promise.all([clickWriter.drain(), Promise.race([jobs.stop(), sleep(SHUTDOWN_STEP_MS)]), bus.stop()]);
      if (!options.db) await Promise.race([db.destroy(), sleep(SHUTDOWN_STEP_MS)]);
    },
  };
}
