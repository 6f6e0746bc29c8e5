import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { InvalidSignature, type PaymentProvider, type ProviderEvent, type WebhookDelivery } from '../providers/provider.js';
import type { SourceCache } from '../sources/source-cache.js';
import type { DeliveryResult, WebhookPipeline } from './pipeline.js';
import { writeLog } from './logs.js';

export interface ConnectWebhooksDeps {
  db: Knex;
  logger: Logger;
  pipeline: WebhookPipeline;
  sources: SourceCache;
  stripe: PaymentProvider;
  /** STRIPE_CONNECT_WEBHOOK_SECRET; without it the endpoint does not exist. */
  signingSecret: string | null;
}

/**
 * The platform's Stripe Connect endpoint: one URL for every connected account. Each event is verified with the
 * platform's signing secret, routed to its source by the top-level `account`, and then runs through the same
 * pipeline as a per-source delivery. An event for an account no source holds is logged and answered 200, so
 * Stripe does not retry it for days.
 */
export class ConnectWebhooks {
  constructor(private readonly deps: ConnectWebhooksDeps) {}

  async receive(delivery: WebhookDelivery, senderIp: string): Promise<DeliveryResult> {
    const { signingSecret, stripe } = this.deps;
    if (!signingSecret) return { result: 'unknown_source' };
    let event: ProviderEvent;
    try {
      event = await stripe.verify(delivery, signingSecret);
    } catch (error) {
      if (!(error instanceof InvalidSignature)) throw error;
      return this.deps.pipeline.badDelivery(null, 'stripe', senderIp, `Connect endpoint: ${error.message}`);
    }
    const source = event.account ? await this.deps.sources.connected(event.account) : null;
    if (!source) {
      const detail = event.account ? `no connected source holds account ${event.account}` : 'the event names no connected account';
      this.deps.logger.info({ event_id: event.id, event_type: event.type, account: event.account }, `Connect event ignored: ${detail}`);
      const logId = await this.log(event, { outcome: 'ignored', detail });
      return { result: 'handled', outcome: 'ignored', log_id: logId };
    }
    return this.deps.pipeline.process(source, stripe, event);
  }

  private log(event: ProviderEvent, effect: { outcome: 'ignored'; detail: string }): Promise<string> {
    return writeLog(this.deps.db, { source_id: null, provider: 'stripe', provider_event_id: event.id, event_type: event.type, ...effect });
  }
}
