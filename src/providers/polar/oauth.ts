import { createPolar } from '@polar-sh/sdk/2026-10';
import { OAuthRefused, ProviderUnavailable, type OAuthApp, type OAuthConnection } from '../provider.js';
import { oauthCall, oauthClient, tokensOf } from '../oauth-client.js';
import { polarCall, statusOf } from './errors.js';

export interface PolarOAuthOptions {
  clientId: string;
  clientSecret: string;
  apiBase: string;
  authorizeBase: string;
}

/** What Synaptyx reads (orders, refunds, discount codes, the organization) and the webhook endpoint it manages. */
export const POLAR_SCOPES = ['orders:read', 'refunds:read', 'discounts:read', 'organizations:read', 'webhooks:read', 'webhooks:write'];

/** Every event the normaliser reads: sales (the default mappings), refunds, and subscriptions for their metadata. */
export const POLAR_WEBHOOK_EVENTS = [
  'order.created', 'order.paid', 'order.updated', 'order.refunded',
  'refund.created', 'refund.updated',
  'subscription.created', 'subscription.updated', 'subscription.active',
] as const;

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

    async provisionWebhook(connection, url) {
      const endpoint = await polarCall('creating the webhook endpoint', () =>
        api(connection.accessToken).webhooks.createWebhookEndpoint({
          url,
          format: 'raw',
          events: [...POLAR_WEBHOOK_EVENTS],
          organization_id: connection.accountId,
        }),
      );
      if (!endpoint.id || !endpoint.secret) throw new ProviderUnavailable('Polar created the webhook endpoint without a secret');
      return { id: endpoint.id, secret: endpoint.secret };
    },

    async removeWebhook(connection, webhookId) {
      try {
        await api(connection.accessToken).webhooks.deleteWebhookEndpoint(webhookId);
      } catch (error) {
        if (statusOf(error) === 404) return; // already gone: what removing it wanted
        await polarCall('deleting the webhook endpoint', () => Promise.reject(error));
      }
    },

    async revoke(connection: OAuthConnection) {
      // Revoking the refresh token ends the grant; the access token is revoked too in case it outlives it.
      if (connection.refreshToken) await revokeToken(connection.refreshToken, 'refresh_token');
      await revokeToken(connection.accessToken, 'access_token');
    },

    credentials: ({ accessToken }) => ({ apiKey: accessToken }),
  };
}
