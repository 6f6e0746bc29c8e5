import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { DomainError, conflict, providerFailed, refused, validationFailed } from '../errors.js';
import { newId } from '../ids.js';
import { sqlState } from '../db/errors.js';
import {
  OAuthRefused,
  PROVIDER_NAMES,
  type OAuthApp,
  type OAuthConnection,
  type OAuthGrant,
  type PaymentProvider,
  type ProviderName,
} from '../providers/provider.js';
import { Source } from './models.js';
import type { SecretBox } from './secret-box.js';
import type { SourceCache } from './source-cache.js';
import { findSource, type Sources, type SourceView } from './sources.js';
import { connectionOf, credentialsOf, type OAuthApps } from './credentials.js';
import type { OAuthStates } from './oauth-states.js';
import type { StartOAuthBody } from './schemas.js';

export interface ConnectionsDeps {
  db: Knex;
  logger: Logger;
  secretBox: SecretBox;
  publicUrl: string;
  /** Hosts besides the public URL's that a return_url may name (SYX_ALLOWED_RETURN_HOSTS). */
  allowedReturnHosts: string[];
  apps: OAuthApps;
  providers: Record<ProviderName, PaymentProvider>;
  states: OAuthStates;
  sources: Sources;
  cache: SourceCache;
}

/** The platform apps' variables, for providers with a one-click connection; the others connect by API key only. */
const OAUTH_VARIABLES: Partial<Record<ProviderName, string>> = {
  stripe: 'STRIPE_CLIENT_ID and STRIPE_SECRET_KEY',
  polar: 'POLAR_CLIENT_ID and POLAR_CLIENT_SECRET',
};

/** What a callback answers: the source it connected and where the merchant's browser goes next. */
export interface CompletedConnection {
  source: SourceView;
  reconnected: boolean;
  returnUrl: string | null;
}

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
}

/** What happened at the provider when a source was disconnected; the local disconnect happens regardless. */
export type ProviderDisconnect =
  | { status: 'done' }
  | { status: 'not_applicable'; message: string }
  | { status: 'refused' | 'unreachable'; message: string };

/**
 * One-click connections: start (a signed state and the provider's authorize URL), complete (the callback:
 * exchange the code, find or create the source, provision its webhook), and disconnect at the provider.
 */
export class Connections {
  constructor(private readonly deps: ConnectionsDeps) {}

  /** `sessionId`: the dashboard session starting it, which the callback must come back in (null from the API). */
  async start(workspaceId: string, provider: ProviderName, input: StartOAuthBody, sessionId: string | null = null): Promise<{ authorize_url: string }> {
    const app = this.app(provider);
    // Checked now: the callback must not find out, after the source is saved, that it cannot redirect there.
    if (input.return_url && !this.mayReturnTo(new URL(input.return_url))) {
      throw validationFailed('return_url names a host Synaptyx does not send browsers back to.', [
        { in: 'body', pointer: '/return_url', message: `must be on ${new URL(this.deps.publicUrl).host} or a host listed in SYX_ALLOWED_RETURN_HOSTS` },
      ]);
    }
    const state = await this.deps.states.issue(provider, { workspaceId, returnUrl: input.return_url ?? null, sourceName: input.name ?? null, sessionId });
    return { authorize_url: app.authorizeUrl({ state, redirectUri: this.redirectUri(provider) }) };
  }

  async complete(provider: ProviderName, query: CallbackQuery, sessionId: string | null = null): Promise<CompletedConnection> {
    const app = this.app(provider);
    if (!query.state) throw refused('oauth_state_invalid', `${PROVIDER_NAMES[provider]} came back without a state. Start the connection again from Synaptyx.`);
    // The state is used up first, so even a declined or failed attempt cannot be replayed.
    const started = await this.deps.states.consume(provider, query.state, sessionId);
    if (query.error) {
      const declined = query.error === 'access_denied';
      throw refused(declined ? 'oauth_access_denied' : 'oauth_failed', declined
        ? `The connection was cancelled at ${PROVIDER_NAMES[provider]}: Synaptyx was not given access. Nothing changed.`
        : `${PROVIDER_NAMES[provider]} did not complete the connection (${query.error}${query.error_description ? `: ${query.error_description}` : ''}).`);
    }
    if (!query.code) throw refused('oauth_failed', `${PROVIDER_NAMES[provider]} came back without an authorization code.`);
    const grant = await this.atProvider(() => app.exchange(query.code!, this.redirectUri(provider)));
    const { source, reconnected } = await this.save(app, started.workspaceId, grant, started.sourceName);
    this.deps.logger.info({ source_id: source.id, provider, account_id: grant.accountId, reconnected }, 'source connected');
    return { source: this.deps.sources.present(source), reconnected, returnUrl: started.returnUrl };
  }

  /**
   * Disconnects at the provider where it can (Stripe deauthorize; Polar: delete the endpoint, revoke the tokens),
   * then always locally: a provider that does not answer leaves the merchant a message, not a connected source.
   */
  async disconnect(workspaceId: string, id: string): Promise<SourceView & { provider_disconnect: ProviderDisconnect }> {
    const source = await findSource(workspaceId, id);
    const { outcome, webhookRemains } = await this.disconnectAtProvider(source);
    const view = await this.deps.sources.disconnect(workspaceId, id, { keepWebhookId: webhookRemains });
    return { ...view, provider_disconnect: outcome };
  }

  /** Each step is tried whatever the one before did: an endpoint that could not be deleted still has its grant revoked. */
  private async disconnectAtProvider(source: Source): Promise<{ outcome: ProviderDisconnect; webhookRemains: boolean }> {
    const name = PROVIDER_NAMES[source.provider];
    if (source.status === 'disconnected') return { outcome: { status: 'not_applicable', message: 'The source was already disconnected.' }, webhookRemains: false };
    if (source.mode !== 'oauth') return this.disconnectKeySource(source);
    const app = this.deps.apps[source.provider];
    const connection = connectionOf(source, this.deps.secretBox);
    if (!app || !connection) {
      return {
        outcome: { status: 'unreachable', message: `The platform's ${name} app is not configured any more: remove Synaptyx's access in ${name}'s settings.` },
        webhookRemains: Boolean(source.provider_webhook_id),
      };
    }
    const webhookId = source.provider_webhook_id;
    const removal = webhookId ? await this.attempt(() => app.removeWebhook(connection, webhookId)) : null;
    const revocation = await this.attempt(() => app.revoke(connection));
    const failure = removal ?? revocation;
    if (!failure) return { outcome: { status: 'done' }, webhookRemains: false };
    this.deps.logger.warn({ source_id: source.id, err_message: failure.message }, 'disconnecting at the provider failed');
    return {
      outcome: {
        status: failure instanceof OAuthRefused ? 'refused' : 'unreachable',
        message: `${failure.message}. The source is disconnected in Synaptyx; check that Synaptyx's access is removed in ${name}'s settings.`,
      },
      webhookRemains: removal !== null,
    };
  }

  /**
   * An API-key source: the endpoint Synaptyx created with the key is deleted with it; the key itself is the
   * merchant's, and so is an endpoint they made.
   */
  private async disconnectKeySource(source: Source): Promise<{ outcome: ProviderDisconnect; webhookRemains: boolean }> {
    const name = PROVIDER_NAMES[source.provider];
    const webhookId = source.provider_webhook_id;
    if (!webhookId) {
      return { outcome: { status: 'not_applicable', message: `Synaptyx holds only the key you gave it; delete the webhook endpoint and the key in ${name} if you no longer use them.` }, webhookRemains: false };
    }
    const failure = await this.attempt(async () => {
      const credentials = credentialsOf(source, { secretBox: this.deps.secretBox, apps: this.deps.apps });
      if (!credentials) throw new Error(`the key of source ${source.id} is not stored`);
      await this.deps.providers[source.provider].removeWebhook(credentials, webhookId);
    });
    if (!failure) return { outcome: { status: 'done' }, webhookRemains: false };
    this.deps.logger.warn({ source_id: source.id, err_message: failure.message }, 'deleting the webhook endpoint at the provider failed');
    return {
      outcome: {
        status: failure instanceof OAuthRefused ? 'refused' : 'unreachable',
        message: `${failure.message}. The source is disconnected in Synaptyx; delete the webhook endpoint Synaptyx created in ${name}'s settings.`,
      },
      webhookRemains: true,
    };
  }

  private async attempt(call: () => Promise<void>): Promise<Error | null> {
    return call().then(() => null, (error: Error) => error);
  }

  /** Finds the workspace's source for the account (a re-connect) or creates one, with the webhook provisioned. */
  private async save(app: OAuthApp, workspaceId: string, grant: OAuthGrant, sourceName: string | null): Promise<{ source: Source; reconnected: boolean }> {
    const existing = await Source.query()
      .where({ workspace_id: workspaceId, provider: app.provider, mode: 'oauth', account_id: grant.accountId })
      .orderBy('id', 'desc')
      .first();
    const id = existing?.id ?? newId('src');
    const replacedWebhookId = existing?.provider_webhook_id ?? null;
    const connection: OAuthConnection = { accountId: grant.accountId, accessToken: grant.accessToken, refreshToken: grant.refreshToken };
    const webhook = await this.atProvider(() => app.provisionWebhook(connection, `${this.deps.publicUrl}/webhooks/${app.provider}/${id}`));
    const { secretBox } = this.deps;
    const fields = {
      status: 'active' as const,
      access_token_encrypted: secretBox.seal(grant.accessToken),
      refresh_token_encrypted: grant.refreshToken ? secretBox.seal(grant.refreshToken) : null,
      token_expires_at: grant.expiresAt,
      provider_webhook_id: webhook?.id ?? null,
      webhook_secret_encrypted: webhook ? secretBox.seal(webhook.secret) : null,
      disconnected_at: null,
      sync_error: null, sync_error_at: null, refresh_error: null, refresh_error_at: null, missed_webhooks: 0, missed_webhooks_at: null,
      updated_at: new Date(),
    };
    let source: Source;
    try {
      source = existing
        ? await existing.$query().patchAndFetch(fields)
        : await Source.query().insertAndFetch({
            id, workspace_id: workspaceId, provider: app.provider, mode: 'oauth', name: sourceName ?? grant.accountName, account_id: grant.accountId, ...fields,
          });
    } catch (error) {
      if (webhook) await this.bestEffort(() => app.removeWebhook(connection, webhook.id), id, 'removing the endpoint of a connection that was not saved');
      if (sqlState(error) === '23505') {
        throw conflict(`This ${PROVIDER_NAMES[app.provider]} account is already connected to another Synaptyx workspace; disconnect it there first.`);
      }
      throw error;
    }
    // A re-connect replaces the endpoint: the new one is live before the old one goes, so no event falls between.
    if (replacedWebhookId && replacedWebhookId !== webhook?.id) {
      await this.bestEffort(() => app.removeWebhook(connection, replacedWebhookId), id, 'removing the replaced webhook endpoint');
    }
    this.deps.cache.forget(id);
    return { source: await Source.query().modify('withLastEvent').findById(id) as Source, reconnected: Boolean(existing) };
  }

  private app(provider: ProviderName): OAuthApp {
    const app = this.deps.apps[provider];
    if (app) return app;
    const variables = OAUTH_VARIABLES[provider];
    if (!variables) {
      throw refused('oauth_not_supported', `${PROVIDER_NAMES[provider]} has no one-click connection: connect it with an API key, and Synaptyx creates the webhook itself.`);
    }
    throw refused('oauth_not_configured', `One-click ${PROVIDER_NAMES[provider]} connections are off on this Synaptyx: the operator has not set ${variables}. Connect with an API key instead.`);
  }

  /** Not an open redirect: only the service's own origin and the hosts the operator listed. */
  private mayReturnTo(url: URL): boolean {
    const own = new URL(this.deps.publicUrl);
    if (url.origin === own.origin) return true;
    return this.deps.allowedReturnHosts.some((allowed) => (allowed.includes(':') ? url.host : url.hostname) === allowed);
  }

  private redirectUri(provider: ProviderName): string {
    return `${this.deps.publicUrl}/oauth/${provider}/callback`;
  }

  /** Provider refusals are the merchant's to fix (400); a provider that does not answer is ours to report (502). */
  private async atProvider<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof OAuthRefused) throw refused('oauth_refused', `${error.message}. Start the connection again from Synaptyx.`);
      if (error instanceof DomainError) throw error;
      throw providerFailed(`${(error as Error).message}. Nothing was connected; try again in a moment.`);
    }
  }

  private async bestEffort(call: () => Promise<void>, sourceId: string, what: string): Promise<void> {
    await call().catch((error: Error) => this.deps.logger.warn({ source_id: sourceId, err_message: error.message }, `${what} failed`));
  }
}
