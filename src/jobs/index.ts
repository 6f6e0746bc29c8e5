import type { Knex } from 'knex';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ApiCredentials, PaymentProvider, ProviderName } from '../providers/provider.js';
import type { Source } from '../sources/models.js';
import type { SecretBox } from '../sources/secret-box.js';
import type { SourceCache } from '../sources/source-cache.js';
import type { OAuthApps } from '../sources/credentials.js';
import type { WebhookPipeline } from '../webhooks/pipeline.js';
import type { Job } from './scheduler.js';
import { runRetention } from './retention.js';
import { runTokenRefresh } from './token-refresh.js';
import { runReconciliation } from './reconcile.js';
import { runSourceHealth } from './source-health.js';

export interface JobDeps {
  db: Knex;
  logger: Logger;
  secretBox: SecretBox;
  apps: OAuthApps;
  cache: SourceCache;
  pipeline: WebhookPipeline;
  providers: Record<ProviderName, PaymentProvider>;
  credentialsOf(source: Source): ApiCredentials | null;
}

/** Every background job with its configured interval; each takes its own advisory lock, so one instance runs it. */
export function backgroundJobs(deps: JobDeps, config: Config['jobs']): Job[] {
  return [
    { name: 'retention', intervalMs: config.retentionIntervalMs, run: () => runRetention(deps.db) },
    { name: 'token-refresh', intervalMs: config.tokenRefreshIntervalMs, run: () => runTokenRefresh({ ...deps, refreshBeforeMs: config.refreshBeforeMs }) },
    { name: 'reconcile', intervalMs: config.reconcileIntervalMs, run: () => runReconciliation(deps) },
    { name: 'source-health', intervalMs: config.healthIntervalMs, run: () => runSourceHealth(deps.db) },
  ];
}
