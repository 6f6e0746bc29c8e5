import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import type { ClickIds } from '../clicks/click-id.js';
import type { LinkOwners } from '../links/link-owners.js';
import type { Source } from '../sources/models.js';
import type { SourceCache } from '../sources/source-cache.js';
import { disconnection, effectiveMappings } from '../sources/sources.js';
import type { SecretBox } from '../sources/secret-box.js';
import { TtlCache } from '../ttl-cache.js';
import { isDatabaseUnavailable, sqlState } from '../db/errors.js';
import { checkFacts, InvalidPayload, isCleanText } from '../providers/facts.js';
import {
  InvalidSignature,
  type ApiCredentials,
  type NormalizedEvent,
  type OrderFacts,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderName,
  type WebhookDelivery,
} from '../providers/provider.js';
import { attribute, clickOf, type AttributionResult } from '../conversions/attribution.js';
import { lockPayments, recordAdjustment, settleSale } from '../conversions/recorder.js';
import { SaleBatch, type Sale } from '../conversions/sale-batch.js';
import { writeLog, type Outcome } from './logs.js';
import { badDeliveryDetail, type BadDeliveries } from './bad-deliveries.js';

export interface PipelineDeps {
  db: Knex;
  logger: Logger;
  clickIds: ClickIds;
  links: LinkOwners;
  secretBox: SecretBox;
  sources: SourceCache;
  providers: Record<ProviderName, PaymentProvider>;
  /** Credentials for API calls on a source's behalf (its own key, or the platform's for a connected account). */
  credentialsFor(source: Source): ApiCredentials | null;
  /** Bounds on what bad-signature deliveries may make the service write. */
  badDeliveries: BadDeliveries;
}

export interface Effect {
  outcome: Outcome;
  detail: string;
  conversion_id?: string | null;
}

export type DeliveryResult =
  /** Logged and done: the provider may stop sending it. */
  | { result: 'handled'; outcome: Outcome; log_id: string }
  | { result: 'bad_signature' }
  | { result: 'unknown_source' }
  /** Too many bad signatures from this source or sender. */
  | { result: 'refused'; retryAfterSeconds: number }
  /** Nothing was stored: the provider should send it again. */
  | { result: 'not_stored' };

/**
 * One verified delivery → one effect, exactly once: the de-duplication key, the conversion change and the
 * log row commit together. Anything but a storage failure is handled; a storage failure is not stored, so the
 * provider retries.
 */
export class WebhookPipeline {
  private readonly sales: SaleBatch;
  /** Signing secrets by their ciphertext, so a delivery costs a map lookup rather than an AES-GCM open. */
  private readonly secrets = new TtlCache<string, string>({ ttlMs: Infinity, maxEntries: 10_000 });

  constructor(private readonly deps: PipelineDeps) {
    this.sales = new SaleBatch(deps.db);
  }

  /** The source a per-source endpoint delivers to, looked up before the body is read; null when there is none. */
  async endpointSource(providerName: ProviderName, sourceId: string): Promise<Source | null> {
    const source = await this.deps.sources.get(sourceId);
    if (!source || source.provider !== providerName || source.status === 'disconnected' || !source.webhook_secret_encrypted) return null;
    return source;
  }

  async receive(source: Source, delivery: WebhookDelivery, senderIp: string): Promise<DeliveryResult> {
    const provider = this.deps.providers[source.provider];
    let event: ProviderEvent;
    try {
      event = await provider.verify(delivery, this.webhookSecret(source.webhook_secret_encrypted!));
    } catch (error) {
      if (!(error instanceof InvalidSignature)) throw error;
      return this.badDelivery(source.id, source.provider, senderIp, error.message);
    }
    return this.process(source, provider, event);
  }

  /** A delivery whose signature failed: a log row per burst, or refused past the bounds. */
  async badDelivery(sourceId: string | null, provider: ProviderName, senderIp: string, reason: string): Promise<DeliveryResult> {
    const verdict = this.deps.badDeliveries.record(sourceId ?? `${provider} connect`, senderIp);
    if (verdict.action === 'refuse') return { result: 'refused', retryAfterSeconds: verdict.retryAfterSeconds };
    if (verdict.action === 'log') {
      await writeLog(this.deps.db, {
        source_id: sourceId, provider, provider_event_id: null, event_type: null,
        outcome: 'invalid_signature', detail: badDeliveryDetail(reason, verdict),
      });
    }
    return { result: 'bad_signature' };
  }

  private webhookSecret(sealed: string): string {
    let secret = this.secrets.peek(sealed);
    if (!secret) {
      secret = this.deps.secretBox.open(sealed);
      this.secrets.set(sealed, secret);
    }
    return secret;
  }

  /** Runs a verified event through de-duplication, attribution and storage. Reconciliation enters here too. */
  async process(source: Source, provider: PaymentProvider, event: ProviderEvent, note = ''): Promise<DeliveryResult> {
    const log = { source_id: source.id, provider: provider.name, provider_event_id: event.id, event_type: event.type };
    try {
      if (!isCleanText(event.id) || !isCleanText(event.type)) throw new InvalidPayload('the event id or type', 'must be clean text');
      const plan = await this.plan(source, provider, event, checkFacts(provider.normalize(event)));
      if (isSale(plan)) {
        const sale = await this.sales.record({ ...plan, note });
        if (sale) return { result: 'handled', outcome: sale.outcome, log_id: sale.log_id };
      }
      const apply = isSale(plan) ? plan.apply : plan;
      return await this.deps.db.transaction(async (trx) => {
        // Payments first, then the de-duplication key, as syx_record_sales does: the two paths cannot deadlock.
        if (isSale(plan)) await lockPayments(trx, source.id, [plan.order.orderId, ...plan.order.refs]);
        const fresh = await trx.raw(
          'INSERT INTO webhook_events (source_id, provider_event_id) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING provider_event_id',
          [source.id, event.id],
        );
        const effect: Effect = fresh.rows.length === 0 ? { outcome: 'duplicate', detail: 'already processed' } : await apply(trx);
        const detail = note ? `${effect.detail} (${note})` : effect.detail;
        const logId = await writeLog(trx, { ...log, ...effect, detail });
        return { result: 'handled' as const, outcome: effect.outcome, log_id: logId };
      });
    } catch (error) {
      const invalid = invalidPayload(error);
      if (invalid) return this.refuse(source, log, invalid);
      // Storage failed: nothing was committed, so the provider's retry starts clean.
      this.deps.logger.error({ err: error, source_id: source.id, event_id: event.id, database_away: isDatabaseUnavailable(error) }, 'webhook could not be processed');
      await writeLog(this.deps.db, { ...log, outcome: 'error', detail: 'could not be processed; the provider will retry' }).catch(() => {});
      return { result: 'not_stored' };
    }
  }

  /**
   * A signed event no retry can fix: logged `invalid_payload` and answered 200, so the provider stops retrying.
   * Its id is not kept as processed: a corrected redelivery of the same event is still read.
   */
  private async refuse(source: Source, log: { provider_event_id: string; event_type: string } & Record<string, unknown>, detail: string): Promise<DeliveryResult> {
    const clean = (value: string) => (isCleanText(value) ? value : null);
    const logId = await writeLog(this.deps.db, {
      source_id: source.id, provider: source.provider, provider_event_id: clean(log.provider_event_id), event_type: clean(log.event_type),
      outcome: 'invalid_payload', detail,
    });
    this.deps.logger.warn({ source_id: source.id, detail }, 'signed webhook with an invalid payload');
    return { result: 'handled', outcome: 'invalid_payload', log_id: logId };
  }

  /** Everything that reads outside the transaction (attribution, API calls) happens here, before it opens. */
  private async plan(source: Source, provider: PaymentProvider, event: ProviderEvent, normalized: NormalizedEvent): Promise<Plan | SalePlan> {
    const workspace = { id: source.id, workspace_id: source.workspace_id };
    if (event.testMode && !source.test_mode) {
      return constant('ignored', 'a test-mode event: this source counts live events; connect a test-mode key as a source of its own to count test sales');
    }
    switch (normalized.kind) {
      case 'order': {
        const mapping = effectiveMappings(source, provider).find((m) => m.event_type === event.type);
        if (!mapping || mapping.action === 'ignore') return constant('ignored', `${event.type} is not mapped as a conversion`);
        const order = await this.withPaymentRefs(source, provider, normalized.order);
        const attribution = await attribute(
          { db: this.deps.db, clickIds: this.deps.clickIds, links: this.deps.links, lookUpCouponCodes: (o) => this.couponCodes(source, provider, o) },
          workspace,
          order,
        );
        const goal = goalOf(order, mapping.goal);
        const sale = { source: workspace, provider: provider.name, event: { id: event.id, type: event.type }, order, goal, attribution };
        return { ...sale, apply: (trx) => settleSale(trx, { ...sale, note: '' }) };
      }
      case 'refund':
        return (trx) => adjust(trx, workspace, { kind: 'refund', facts: normalized.refund });
      case 'refund_total':
        return (trx) => adjust(trx, workspace, { kind: 'refund_total', facts: normalized.refundTotal });
      case 'dispute':
        return (trx) => adjust(trx, workspace, { kind: 'dispute', facts: normalized.dispute });
      case 'subscription': {
        const { customerId, clickId } = normalized.subscription;
        const click = customerId && clickId ? await clickOf(this.deps, source.workspace_id, clickId) : null;
        if (!click) return constant('ignored', 'subscription without a verified click id: nothing to remember');
        return async (trx) => {
          const { campaign_id, link_id, click_id, first_campaign_id, first_link_id, first_click_id } = click;
          await trx('customers')
            .insert({ source_id: source.id, customer_id: customerId, campaign_id, link_id, click_id, first_campaign_id, first_link_id, first_click_id })
            .onConflict(['source_id', 'customer_id']).ignore();
          return { outcome: 'ignored', detail: `customer ${customerId} remembered for the click of its subscription` };
        };
      }
      case 'account_deauthorized':
        // Only the platform's Connect endpoint reports that a merchant removed Synaptyx: on a source's own endpoint
        // the event means some other application lost access to the merchant's account.
        if (source.mode !== 'oauth' || normalized.accountId !== source.account_id) {
          return constant('ignored', `an application was deauthorized on account ${normalized.accountId}; it is not Synaptyx's connection to this source`);
        }
        return async (trx) => {
          await trx('sources').where({ id: source.id }).update(disconnection());
          this.deps.sources.forget(source.id);
          return { outcome: 'ignored', detail: `the merchant disconnected account ${normalized.accountId}; source marked disconnected` };
        };
      case 'not_a_sale':
        return constant('ignored', normalized.reason);
      case 'unsupported':
        return constant('ignored', `${event.type} is not an event Synaptyx reads`);
    }
  }

  /** The order with the payment ids only the provider's API knows, so its refunds and disputes find it. */
  private async withPaymentRefs(source: Source, provider: PaymentProvider, order: OrderFacts): Promise<OrderFacts> {
    const credentials = order.paymentLookup ? this.credentials(source) : null;
    if (!credentials) {
      if (order.paymentLookupRequired) throw new Error(`the source has no API access to look up ${order.paymentLookup}`);
      return order;
    }
    try {
      const refs = await provider.resolvePaymentRefs(order, credentials);
      return { ...order, refs: [...new Set([...order.refs, ...refs])] };
    } catch (error) {
      // Without them this report could count a sale a second time: nothing is stored, and the provider retries.
      if (order.paymentLookupRequired) throw error;
      // The sale counts without them (a restricted key may not read invoices); only its refunds cannot find it.
      this.deps.logger.warn({ err: error, source_id: source.id, invoice: order.paymentLookup }, 'could not look up the payments of an invoice');
      return order;
    }
  }

  private credentials(source: Source): ApiCredentials | null {
    return this.deps.credentialsFor(source);
  }

  private async couponCodes(source: Source, provider: PaymentProvider, order: OrderFacts): Promise<string[]> {
    const credentials = this.credentials(source);
    return credentials ? provider.resolveCouponCodes(order, credentials) : [];
  }
}

/** What a delivery does inside the transaction that also writes its de-duplication key and log row. */
type Plan = (trx: Knex.Transaction) => Promise<Effect>;

/** A sale tries the one-statement path first; `apply` is its transaction fallback. */
type SalePlan = Omit<Sale, 'note'> & { apply: Plan };

const isSale = (plan: Plan | SalePlan): plan is SalePlan => typeof plan !== 'function';

const constant = (outcome: Outcome, detail: string): Plan => async () => ({ outcome, detail });

async function adjust(trx: Knex.Transaction, source: { id: string; workspace_id: string }, adjustment: Parameters<typeof recordAdjustment>[2]): Promise<Effect> {
  const { conversion } = await recordAdjustment(trx, source, adjustment);
  if (!conversion) return { outcome: 'pending_conversion', detail: `${adjustment.kind} kept until its order arrives` };
  return {
    outcome: 'adjusted',
    detail: `${adjustment.kind}: refunded ${conversion.refunded_amount}, disputed ${conversion.disputed_amount}, status ${conversion.status}`,
    conversion_id: conversion.id,
  };
}

/** Renewals are always `renewal`; a subscription's first invoice is the same purchase as its checkout. */
function goalOf(order: OrderFacts, mappedGoal: string | undefined): string {
  if (order.renewal) return 'renewal';
  return mappedGoal && mappedGoal !== 'renewal' ? mappedGoal : 'purchase';
}

/** What makes a signed event unusable for good: a value the adapter refused, or one the database refused as data. */
function invalidPayload(error: unknown): string | null {
  if (error instanceof InvalidPayload) return error.message;
  const state = sqlState(error);
  // Data exceptions and broken constraints fail the same way on every retry; a conflict or an outage does not.
  if (state && (state.startsWith('22') || state === '23502' || state === '23514')) return `the database refused a value of the event (SQLSTATE ${state})`;
  return null;
}
