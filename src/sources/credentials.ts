import type { ApiCredentials, OAuthApp, OAuthConnection, ProviderName } from '../providers/provider.js';
import type { Source } from './models.js';
import type { SecretBox } from './secret-box.js';

export type OAuthApps = Partial<Record<ProviderName, OAuthApp>>;

/** A one-click source's account and tokens, opened; null for an API-key source or one without tokens. */
export function connectionOf(source: Source, secretBox: SecretBox): OAuthConnection | null {
  if (source.mode !== 'oauth' || !source.account_id || !source.access_token_encrypted) return null;
  return {
    accountId: source.account_id,
    accessToken: secretBox.open(source.access_token_encrypted),
    refreshToken: source.refresh_token_encrypted ? secretBox.open(source.refresh_token_encrypted) : null,
  };
}

/**
 * How Synaptyx calls the provider's API for a source: the merchant's own key, or what the platform app says
 * for a connected account (the platform key with `stripeAccount`, or the Polar token). Null when there is no
 * way: the source was connected through a platform app that is no longer configured.
 */
export function credentialsOf(source: Source, deps: { secretBox: SecretBox; apps: OAuthApps }): ApiCredentials | null {
  if (source.mode === 'api_key') {
    return source.api_key_encrypted ? { apiKey: deps.secretBox.open(source.api_key_encrypted) } : null;
  }
  const app = deps.apps[source.provider];
  const connection = connectionOf(source, deps.secretBox);
  return app && connection ? app.credentials(connection) : null;
}
