import { idPattern, newId } from '../ids.js';
import { conflict, notFound, validationFailed } from '../errors.js';
import { isUniqueViolation } from '../db/errors.js';
import { paginate, type Page, type PageQuery } from '../db/pagination.js';
import { PROVIDER_NAMES, type EventMapping, type PaymentProvider, type ProviderName } from '../providers/provider.js';
import type { Logger } from '../logger.js';
import type { SecretBox } from './secret-box.js';
import type { SourceCache } from './source-cache.js';
import { Source } from './models.js';
import type { CreateSourceBody } from './schemas.js';
import { assess, healthOf, type SourceHealth } from './health.js';
import { connectByKey, keyCredentials } from './key-connections.js';

export interface SourceView {
  id: string;
  provider: ProviderName;
  mode: 'api_key' | 'oauth';
  name: string | null;
  status: Source['status'];
  account_id: string | null;
  test_mode: boolean;
  webhook_url: string;
  snippet_url: string;
  last_event_at: string | null;
  credentials: { api_key_last4?: string; expires_at?: string };
  health: SourceHealth;
  created_at: string;
}

export class Sources {
  constructor(
    private readonly deps: { secretBox: SecretBox; publicUrl: string; providers: Record<ProviderName, PaymentProvider>; cache: SourceCache; logger: Logger },
  ) {}

  present(source: Source, now = new Date()): SourceView {
    const { publicUrl } = this.deps;
    const health = healthOf(source, now);
    return {
      id: source.id,
      provider: source.provider,
      mode: source.mode,
      name: source.name,
      status: assess(source, now).status,
      account_id: source.account_id,
      test_mode: Boolean(source.test_mode),
      webhook_url: webhookUrl(publicUrl, source),
      snippet_url: `${publicUrl}/s/${source.id}.js`,
      last_event_at: health.last_event_at,
      credentials: {
        ...(source.api_key_last4 ? { api_key_last4: source.api_key_last4 } : {}),
        ...(health.token_expires_at ? { expires_at: health.token_expires_at } : {}),
      },
      health,
      created_at: new Date(source.created_at).toISOString(),
    };
  }

  /**
   * API-key mode: the merchant's key, and the signing secret of the webhook endpoint they made or (without one)
   * of the endpoint Synaptyx creates at the provider, stored encrypted. `options.id`: an id chosen before saving
   * (the dashboard shows the webhook URL, which holds it, before the merchant has the secret).
   */
  async create(workspaceId: string, input: CreateSourceBody, options: { id?: string } = {}): Promise<SourceView> {
    const provider = this.deps.providers[input.provider];
    const id = options.id ?? newId('src');
    // Checked before anything is made at the provider: an endpoint for a source that cannot be saved is litter.
    if (options.id) await checkChosenId(options.id);
    const { account, webhook } = await connectByKey(provider, input, webhookUrl(this.deps.publicUrl, { id, provider: input.provider, mode: input.mode }));
    try {
      const source = await Source.query().insertAndFetch({
        id,
        workspace_id: workspaceId,
        provider: input.provider,
        mode: input.mode,
        name: input.name ?? account?.accountName ?? null,
        status: 'active',
        account_id: account?.accountId ?? null,
        test_mode: account?.testMode ?? false,
        api_key_encrypted: this.deps.secretBox.seal(input.api_key),
        api_key_last4: input.api_key.slice(-4),
        webhook_secret_encrypted: this.deps.secretBox.seal(webhook?.secret ?? input.webhook_secret!),
        provider_webhook_id: webhook?.id ?? null,
      });
      return this.present(source);
    } catch (error) {
      // An endpoint of a source that was not saved would deliver to a 404 for ever.
      if (webhook) {
        await provider.removeWebhook(keyCredentials(input.api_key), webhook.id).catch((failure: Error) =>
          this.deps.logger.warn({ source_id: id, err_message: failure.message }, 'removing the endpoint of a source that was not saved failed'),
        );
      }
      throw isUniqueViolation(error) && options.id ? idTaken() : error;
    }
  }

  async list(workspaceId: string, page: PageQuery): Promise<Page<SourceView>> {
    const { rows, nextCursor } = await paginate(Source.query().modify('withLastEvent').where({ workspace_id: workspaceId }), page);
    return { data: rows.map((source) => this.present(source)), next_cursor: nextCursor };
  }

  async get(workspaceId: string, id: string): Promise<SourceView> {
    const source = await Source.query().modify('withLastEvent').findOne({ 'sources.id': id, workspace_id: workspaceId });
    if (!source) throw notFound('source');
    return this.present(source);
  }

  /**
   * A provider's events as a merchant sets them up: the sales its adapter counts by default, and every event type
   * to enable on a webhook endpoint the merchant makes (the adapter's list, else the sales alone).
   */
  providerEvents(provider: ProviderName): { defaults: EventMapping[]; toEnable: string[] } {
    const adapter = this.deps.providers[provider];
    return { defaults: adapter.defaultMappings, toEnable: [...(adapter.webhookEvents ?? adapter.defaultMappings.map((mapping) => mapping.event_type))] };
  }

  /**
   * Disconnects locally: webhooks for the source are refused from now on; its conversions stay. An endpoint the
   * provider could not delete keeps its id (`keepWebhookId`), so that a re-connect removes it.
   */
  async disconnect(workspaceId: string, id: string, options: { keepWebhookId?: boolean } = {}): Promise<SourceView> {
    const source = await findSource(workspaceId, id);
    if (source.status !== 'disconnected') {
      await source.$query().patch({ ...disconnection(), provider_webhook_id: options.keepWebhookId ? source.provider_webhook_id : null });
      this.deps.cache.forget(id);
    }
    return this.get(workspaceId, id);
  }

  async eventMappings(workspaceId: string, id: string): Promise<EventMapping[]> {
    const source = await findSource(workspaceId, id);
    return effectiveMappings(source, this.deps.providers[source.provider]);
  }

  async replaceEventMappings(workspaceId: string, id: string, mappings: EventMapping[]): Promise<EventMapping[]> {
    const source = await findSource(workspaceId, id);
    const provider = this.deps.providers[source.provider];
    const sales = new Set(provider.defaultMappings.map((mapping) => mapping.event_type));
    const problems = mappings.flatMap((mapping, i) => {
      if (mappings.findIndex((other) => other.event_type === mapping.event_type) !== i) {
        return [{ pointer: `/${i}/event_type`, message: `lists ${mapping.event_type} twice` }];
      }
      if (mapping.action === 'conversion' && !sales.has(mapping.event_type)) {
        return [{ pointer: `/${i}/event_type`, message: `${mapping.event_type} carries no sale; ${source.provider} sales come from ${[...sales].join(', ')}` }];
      }
      return [];
    });
    if (problems.length > 0) throw validationFailed('Some event mappings cannot be used.', problems);
    await source.$query().patch({ event_mappings: mappings, updated_at: new Date() });
    this.deps.cache.forget(id);
    return mappings;
  }
}

/** A source's row once disconnected, by the merchant here or at the provider: tokens of a dead grant are not kept. */
export function disconnection(now = new Date()) {
  return { status: 'disconnected' as const, disconnected_at: now, updated_at: now, access_token_encrypted: null, refresh_token_encrypted: null };
}

/**
 * Where the provider delivers a source's events: its own endpoint, or for a Stripe Connect source the platform's
 * Connect endpoint, which routes each event by its account.
 */
/** What a person calls a source: its name, else the provider and the account (or the source's id). */
export const sourceName = (source: Pick<SourceView, 'name' | 'provider' | 'account_id' | 'id'>) =>
  source.name ?? `${PROVIDER_NAMES[source.provider] ?? source.provider} ${source.account_id ?? source.id}`;

export function webhookUrl(publicUrl: string, source: Pick<Source, 'id' | 'provider' | 'mode'>): string {
  if (source.provider === 'stripe' && source.mode === 'oauth') return `${publicUrl}/webhooks/stripe/connect`;
  return `${publicUrl}/webhooks/${source.provider}/${source.id}`;
}

const CHOSEN_ID = new RegExp(idPattern('src'));
const idTaken = () => conflict('This source id is taken, so nothing was saved: start again to get a new webhook URL.', [{ in: 'body', pointer: '/id', message: 'is taken' }]);

/** A chosen id is a source id, and no source has it yet: in this workspace or any other (which it does not name). */
async function checkChosenId(id: string): Promise<void> {
  if (!CHOSEN_ID.test(id)) throw validationFailed('The source id is not one Synaptyx made.', [{ in: 'body', pointer: '/id', message: `must match ${idPattern('src')}` }]);
  if (await Source.query().findById(id).select('id')) throw idTaken();
}

export async function findSource(workspaceId: string, id: string): Promise<Source> {
  const source = await Source.query().findOne({ id, workspace_id: workspaceId });
  if (!source) throw notFound('source');
  return source;
}

export function effectiveMappings(source: Source, provider: PaymentProvider): EventMapping[] {
  return source.event_mappings ?? provider.defaultMappings;
}
