import { AuthorizationCode } from 'simple-oauth2';
import { OAuthRefused, ProviderUnavailable, type OAuthTokens } from './provider.js';
import { object, text } from './fields.js';

export interface OAuthEndpoints {
  clientId: string;
  clientSecret: string;
  tokenHost: string;
  tokenPath: string;
  authorizeHost: string;
  authorizePath: string;
  revokePath?: string;
}

/** simple-oauth2 for one provider; the client credentials go in the form body, as both providers accept. */
export function oauthClient(endpoints: OAuthEndpoints): AuthorizationCode {
  return new AuthorizationCode({
    client: { id: endpoints.clientId, secret: endpoints.clientSecret },
    auth: {
      tokenHost: endpoints.tokenHost,
      tokenPath: endpoints.tokenPath,
      authorizeHost: endpoints.authorizeHost,
      authorizePath: endpoints.authorizePath,
      ...(endpoints.revokePath ? { revokePath: endpoints.revokePath } : {}),
    },
    options: { authorizationMethod: 'body' },
    http: { timeout: 15_000 },
  });
}

/**
 * Runs a call to a provider's OAuth endpoint and turns what went wrong into OAuthRefused (the provider said no:
 * a bad code or token) or ProviderUnavailable (no answer, or a server error). Messages carry the provider's
 * error code and description, never a token.
 */
export async function oauthCall<T>(provider: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const boom = error as { isBoom?: boolean; output?: { statusCode: number }; data?: { isResponseError?: boolean; payload?: unknown } };
    if (boom.isBoom && boom.data?.isResponseError && boom.output) {
      const status = boom.output.statusCode;
      const payload = object(parsed(boom.data.payload));
      const reason = [text(payload.error), text(payload.error_description)].filter(Boolean).join(': ') || `HTTP ${status}`;
      if (status >= 400 && status < 500) throw new OAuthRefused(`${provider} refused: ${reason}`);
      throw new ProviderUnavailable(`${provider} answered ${status}: ${reason}`);
    }
    throw new ProviderUnavailable(`${provider} could not be reached: ${(error as Error).message}`);
  }
}

/** The token endpoint's answer as neutral tokens; a refresh that returns no new refresh token keeps the old one. */
export function tokensOf(token: Record<string, unknown>, previousRefreshToken: string | null = null): OAuthTokens {
  const accessToken = text(token.access_token);
  if (!accessToken) throw new ProviderUnavailable('the token endpoint answered without an access token');
  // simple-oauth2 turns `expires_in` into `expires_at`; without it (Stripe Connect) the token does not expire.
  const expiresAt = token.expires_at instanceof Date ? token.expires_at : null;
  return { accessToken, refreshToken: text(token.refresh_token) ?? previousRefreshToken, expiresAt };
}

function parsed(payload: unknown): unknown {
  if (Buffer.isBuffer(payload)) {
    try {
      return JSON.parse(payload.toString('utf8'));
    } catch {
      return null;
    }
  }
  return payload;
}
