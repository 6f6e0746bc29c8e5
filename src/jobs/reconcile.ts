import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { PROVIDER_NAMES, type ApiCredentials, type PaymentProvider, type ProviderEvent, type ProviderName } from '../providers/provider.js';
import { Source } from '../sources/models.js';
import { saveStatus } from '../sources/health.js';
import type { WebhookPipeline } from '../webhooks/pipeline.js';
import { withHeldJobLock } from './advisory-lock.js';

/** How far before the last sync each listing starts: a Checkout Session completes up to 24 h after it was created. */
export const RECONCILE_OVERLAP_MS = 24 * 3_600_000;
/** A sale younger than this may still have its webhook on the way (or in the provider's retries): no proof of a miss. */
export const WEBHOOK_GRACE_MS = 10 * 60_000;

export interface ReconcileDeps {
  db: Knex;
  logger: Logger;
  pipeline: WebhookPipeline;
  providers: Record<ProviderName, PaymentProvider>;
  credentialsOf(source: Source): ApiCredentials | null;
}

export interface ReconcileResult {
  sources: number;
  /** Sales whose webhook never arrived, recorded now. */
  recovered: number;
  failed: number;
}

/**
 * Lists each source's recent paid sales through the provider's API and runs the ones Synaptyx has not seen
 * through the webhook pipeline, so a webhook that never arrived still becomes a conversion, by the same rules.
 */
export async function runReconciliation(deps: ReconcileDeps, now = new Date()): Promise<ReconcileResult | null> {
  return withHeldJobLock(deps.db, 'reconcile', async () => {
    const sources = await Source.query().whereNot('status', 'disconnected').orderBy('id');
    const result: ReconcileResult = { sources: 0, recovered: 0, failed: 0 };
    for (const source of sources) {
      const recovered = await reconcileSource(deps, source, now);
      if (recovered === null) continue;
      result.sources++;
      if (recovered === 'failed') result.failed++;
      else result.recovered += recovered;
    }
    return result;
  });
}

/** The number of sales recovered, 'failed' (recorded on the source), or null when the source has no API access. */
async function reconcileSource(deps: ReconcileDeps, source: Source, now: Date): Promise<number | 'failed' | null> {
  const provider = deps.providers[source.provider];
  const since = new Date(new Date(source.last_synced_at ?? source.created_at).getTime() - RECONCILE_OVERLAP_MS);
  let recovered = 0;
  // Sales made while the source's webhook existed, long enough ago that it should have arrived: those prove a miss.
  let missed = 0;
  try {
    // Inside the try: a source whose secrets cannot be opened fails alone, not the whole run.
    const credentials = deps.credentialsOf(source);
    if (!credentials) return null;
    for await (const event of provider.listRecentSales(credentials, since)) {
      if (await alreadySeen(deps.db, source, provider, event)) continue;
      const delivery = await deps.pipeline.process(source, provider, event, 'reconciled');
      if (delivery.result !== 'handled') throw new Error(`a sale could not be stored (${event.id}); the next run retries it`);
      if (delivery.outcome === 'duplicate' || delivery.outcome === 'ignored') continue;
      recovered++;
      if (event.createdAt > new Date(source.created_at) && now.getTime() - event.createdAt.getTime() > WEBHOOK_GRACE_MS) missed++;
    }
  } catch (error) {
    const reason = `Reconciliation could not list ${PROVIDER_NAMES[source.provider]} sales: ${(error as Error).message}`;
    deps.logger.warn({ source_id: source.id, reason }, 'reconciliation failed');
    await deps.db('sources').where({ id: source.id }).update({ sync_error: reason, sync_error_at: now, updated_at: now });
    await saveStatus(deps.db, source.id, now);
    return 'failed';
  }
  if (recovered > 0) deps.logger.warn({ source_id: source.id, recovered, missed }, 'reconciliation recorded sales whose webhooks never arrived');
  const broken = missed > 0 ? { missed_webhooks: missed, missed_webhooks_at: now } : {};
  await deps.db('sources').where({ id: source.id }).update({ last_synced_at: now, sync_error: null, sync_error_at: null, updated_at: now, ...broken });
  await saveStatus(deps.db, source.id, now);
  return recovered;
}

/**
 * A sale whose order or payment is already recorded (its webhook arrived), or an event reconciliation already
 * ran (the pipeline keeps its id): skipped, so every run does not add a `duplicate` log row per recent sale.
 */
async function alreadySeen(db: Knex, source: Source, provider: PaymentProvider, event: ProviderEvent): Promise<boolean> {
  const normalized = provider.normalize(event);
  if (normalized.kind === 'order') {
    const refs = [normalized.order.orderId, ...normalized.order.refs];
    const recorded = await db('payment_refs').where({ source_id: source.id }).whereIn('ref', refs).first();
    if (recorded) return true;
  }
  return Boolean(await db('webhook_events').where({ source_id: source.id, provider_event_id: event.id }).first());
}
