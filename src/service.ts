import type { Server } from 'node:http';
import type Koa from 'koa';
import type { Knex } from 'knex';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { knexConfig, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrations.js';
import { Campaigns } from './campaigns/campaigns.js';
import { LinkCache } from './links/link-cache.js';
import { Links } from './links/links.js';
import { ClickIds } from './clicks/click-id.js';
import { ClickWriter, type ClickWriterOptions } from './clicks/click-writer.js';
import { ClickTracker } from './clicks/click-tracker.js';
import { createApp } from './http/app.js';

export interface Service {
  config: Config;
  logger: Logger;
  db: Knex;
  app: Koa;
  clickIds: ClickIds;
  clickWriter: ClickWriter;
  /** Listens on config.port/host (or the given port; 0 picks a free one). */
  listen(port?: number): Promise<Server>;
  /** Stops accepting, writes every pending click, closes the database. */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  logger?: Logger;
  /** Use this database instead of opening one from the configuration (tests share one). */
  db?: Knex;
  clickWriter?: Partial<ClickWriterOptions>;
}

/** Wires the whole service together and brings the schema up to date; nothing listens until listen(). */
export async function createService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = options.db ?? openDatabase(knexConfig(config));
  await migrateToLatest(db);

  const cache = new LinkCache();
  const clickIds = new ClickIds(config.secret);
  const clickWriter = new ClickWriter(
    { db, logger, secret: config.secret },
    { flushIntervalMs: config.clickFlushMs, ...options.clickWriter },
  );
  const campaigns = new Campaigns({ onChange: (campaignId) => cache.forgetCampaign(campaignId) });
  const links = new Links({ cache, publicUrl: config.publicUrl });
  const tracker = new ClickTracker({ cache, clickIds, writer: clickWriter });
  const app = createApp({ config, logger, db, campaigns, links, tracker });
  clickWriter.start();

  let server: Server | null = null;
  return {
    config,
    logger,
    db,
    app,
    clickIds,
    clickWriter,
    listen(port = config.port) {
      return new Promise((resolve, reject) => {
        server = app.listen(port, config.host, () => resolve(server!));
        server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout
        server.once('error', reject);
      });
    },
    async stop() {
      if (server) {
        const closed = new Promise((resolve) => server!.close(resolve));
        server.closeIdleConnections();
        await closed;
      }
      await clickWriter.drain();
      if (!options.db) await db.destroy();
    },
  };
}
