import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { OAuthRefused, type OAuthTokens } from '../providers/provider.js';
import { Source } from '../sources/models.js';
import type { SecretBox } from '../sources/secret-box.js';
import type { SourceCache } from '../sources/source-cache.js';
import { connectionOf, type OAuthApps } from '../sources/credentials.js';
import { saveStatus } from '../sources/health.js';
import { withHeldJobLock } from './advisory-lock.js';

export interface TokenRefreshDeps {
  db: Knex;
  logger: Logger;
  secretBox: SecretBox;
  apps: OAuthApps;
  cache: SourceCache;
  /** Tokens with less than this left are refreshed (well before expiry, so a failing refresh has days to be fixed). */
  refreshBeforeMs: number;
}

export interface TokenRefreshResult {
  refreshed: number;
  failed: number;
}

/** Refreshes every connected source's access token that expires within the margin, once across all instances. */
export async function runTokenRefresh(deps: TokenRefreshDeps, now = new Date()): Promise<TokenRefreshResult | null> {
  return withHeldJobLock(deps.db, 'token-refresh', async () => {
    const due = await Source.query()
      .where({ mode: 'oauth' })
      .whereNot('status', 'disconnected')
      .whereNotNull('refresh_token_encrypted')
      .where('token_expires_at', '<', new Date(now.getTime() + deps.refreshBeforeMs));
    const result: TokenRefreshResult = { refreshed: 0, failed: 0 };
    for (const source of due) {
      const ok = await refreshSource(deps, source, now);
      result[ok ? 'refreshed' : 'failed']++;
    }
    return result;
  });
}

async function refreshSource(deps: TokenRefreshDeps, source: Source, now: Date): Promise<boolean> {
  const app = deps.apps[source.provider];
  let tokens: OAuthTokens | null;
  try {
    const connection = connectionOf(source, deps.secretBox);
    if (!app || !connection?.refreshToken) throw new Error(`the platform's ${source.provider} OAuth app is not configured`);
    tokens = await app.refresh(connection.refreshToken);
  } catch (error) {
    const reason = error instanceof OAuthRefused
      ? `Token refresh refused (${error.message}): reconnect the account`
      : `Token refresh failed (${(error as Error).message}); it is retried on the next run`;
    deps.logger.warn({ source_id: source.id, provider: source.provider, reason }, 'token refresh failed');
    // A refused refresh token is dead: dropping it makes the source failing until the merchant reconnects.
    const dead = error instanceof OAuthRefused ? { refresh_token_encrypted: null } : {};
    // Conditional on the refresh token tried, like storeTokens: a re-connect meanwhile keeps its fresh grant.
    await deps.db('sources')
      .where({ id: source.id, refresh_token_encrypted: source.refresh_token_encrypted })
      .update({ refresh_error: reason, refresh_error_at: now, updated_at: now, ...dead });
    await saveStatus(deps.db, source.id, now);
    return false;
  }
  try {
    if (tokens) await storeTokens(deps, source, tokens, now);
  } catch (error) {
    // The provider has rotated the grant and the database would not take the new pair: only a reconnect helps now.
    deps.logger.error({ source_id: source.id, provider: source.provider, err_message: (error as Error).message }, 'refreshed tokens could not be stored');
    return false;
  }
  await saveStatus(deps.db, source.id, now);
  deps.cache.forget(source.id);
  return true;
}

/**
 * The provider has just revoked the old refresh token, so the new pair is the connection: it is written in one
 * statement (never a new access token beside an old refresh token), committed at once on its own connection
 * rather than inside a longer transaction, and retried if the database hiccups. The refresh token it replaces
 * is the condition, so a re-connect that happened meanwhile is not overwritten with the old grant's tokens.
 */
async function storeTokens(deps: TokenRefreshDeps, source: Source, tokens: OAuthTokens, now: Date): Promise<void> {
  const { secretBox } = deps;
  const update = {
    access_token_encrypted: secretBox.seal(tokens.accessToken),
    refresh_token_encrypted: tokens.refreshToken ? secretBox.seal(tokens.refreshToken) : source.refresh_token_encrypted,
    token_expires_at: tokens.expiresAt,
    refresh_error: null,
    refresh_error_at: null,
    updated_at: now,
  };
  // The new pair exists only in this process until it is stored: up to about a minute of retries (8 attempts).
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.db('sources').where({ id: source.id, refresh_token_encrypted: source.refresh_token_encrypted }).update(update);
      return;
    } catch (error) {
      if (attempt === 8) throw error;
      deps.logger.error({ source_id: source.id, attempt, err_message: (error as Error).message }, 'storing refreshed tokens failed; retrying');
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }
}
