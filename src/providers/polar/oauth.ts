import { createPolar } from '@polar-sh/sdk/2026-10';
import { OAuthRefused, type OAuthApp, type OAuthConnection } from '../provider.js';
import { oauthCall, oauthClient, tokensOf } from '../oauth-client.js';
import { polarCall } from './errors.js';
import { createPolarEndpoint, deletePolarEndpoint } from './webhooks.js';

export { POLAR_WEBHOOK_EVENTS } from './webhooks.js';

export interface PolarOAuthOptions {
  clientId: string;
  clientSecret: string;
  apiBase: string;
  authorizeBase: string;
}

/** What Synaptyx reads (orders, refunds, discount codes, the organization) and the webhook endpoint it manages. */
export const POLAR_SCOPES = ['orders:read', 'refunds:read', 'discounts:read', 'organizations:read', 'webhooks:read', 'webhooks:write'];

/**
 * Polar OAuth2: authorize at polar.sh, tokens at api.polar.sh/v1/oauth2/token. `sub_type=organization` makes the
 * merchant pick one organization, so the token reaches exactly it. Access tokens expire (the refresh job renews
 * them; each refresh rotates the refresh token). The service creates the organization's webhook endpoint itself.
 * `createPolar({ baseUrl })` points the SDK at POLAR_API_BASE (its `serverURL` option would be ignored).
 */
export function createPolarOAuthApp(options: PolarOAuthOptions): OAuthApp {
  const oauth = oauthClient({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    tokenHost: options.apiBase,
    tokenPath: '/v1/oauth2/token',
    revokePath: '/v1/oauth2/revoke',
    authorizeHost: options.authorizeBase,
    authorizePath: '/oauth2/authorize',
  });
  const api = (accessToken: string) => createPolar({ accessToken, baseUrl: options.apiBase, timeout: 15 });
  const revokeToken = (token: string, kind: 'access_token' | 'refresh_token') =>
    oauthCall('Polar', () => oauth.createToken({ [kind]: token }).revoke(kind));

  return {
    provider: 'polar',

    authorizeUrl: ({ state, redirectUri }) =>
      oauth.authorizeURL({ redirect_uri: redirectUri, scope: POLAR_SCOPES, state, sub_type: 'organization' } as Parameters<typeof oauth.authorizeURL>[0]),

    async exchange(code, redirectUri) {
      const { token } = await oauthCall('Polar', () => oauth.getToken({ code, redirect_uri: redirectUri }));
      const tokens = tokensOf(token);
      const { items } = await polarCall('listing organizations', () => api(tokens.accessToken).organizations.list({ limit: 10 }));
      const organization = items[0];
      if (!organization) throw new OAuthRefused('Polar granted access to no organization');
      return { ...tokens, accountId: organization.id, accountName: organization.name };
    },

    async refresh(refreshToken) {
      const refreshed = await oauthCall('Polar', () => oauth.createToken({ refresh_token: refreshToken }).refresh());
      return tokensOf(refreshed.token, refreshToken);
    },

    provisionWebhook: (connection, url) => createPolarEndpoint(options.apiBase, connection.accessToken, url, connection.accountId),

    removeWebhook: (connection, webhookId) => deletePolarEndpoint(options.apiBase, connection.accessToken, webhookId),

    async revoke(connection: OAuthConnection) {
      // Revoking the refresh token ends the grant; the access token is revoked too in case it outlives it.
      if (connection.refreshToken) await revokeToken(connection.refreshToken, 'refresh_token');
      await revokeToken(connection.accessToken, 'access_token');
    },

    credentials: ({ accessToken }) => ({ apiKey: accessToken }),
  };
}
