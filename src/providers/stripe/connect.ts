import Stripe from 'stripe';
import { ProviderUnavailable, type OAuthApp } from '../provider.js';
import { text } from '../fields.js';
import { oauthCall, oauthClient } from '../oauth-client.js';
import { stripeHost } from './coupons.js';
import { stripeCall } from './errors.js';

export interface StripeConnectOptions {
  clientId: string;
  /** The platform's secret key: the client secret at /oauth/token, and the key that acts for connected accounts. */
  secretKey: string;
  connectBase: string;
}

/**
 * Stripe Connect OAuth (Standard accounts): authorize and token at connect.stripe.com, the platform's secret key
 * as the client secret in the body. The answer's `stripe_user_id` is the connected account; its tokens never
 * expire, and API calls use the platform key with `stripeAccount` rather than them. Events arrive at the
 * platform's Connect endpoint, so nothing is provisioned on the account.
 */
export function createStripeConnectApp(options: StripeConnectOptions): OAuthApp {
  const oauth = oauthClient({
    clientId: options.clientId,
    clientSecret: options.secretKey,
    tokenHost: options.connectBase,
    tokenPath: '/oauth/token',
    authorizeHost: options.connectBase,
    authorizePath: '/oauth/authorize',
  });
  // The SDK sends oauth.* to its `connect` host, or to the configured host when one is set.
  const connect = new Stripe(options.secretKey, { ...stripeHost(options.connectBase), maxNetworkRetries: 1, timeout: 15_000 });

  return {
    provider: 'stripe',

    // read_only is all Synaptyx needs: it reads Checkout Sessions and promotion codes.
    authorizeUrl: ({ state, redirectUri }) => oauth.authorizeURL({ redirect_uri: redirectUri, scope: 'read_only', state }),

    async exchange(code) {
      const { token } = await oauthCall('Stripe', () => oauth.getToken({ code } as Parameters<typeof oauth.getToken>[0]));
      const accountId = text(token.stripe_user_id);
      const accessToken = text(token.access_token);
      if (!accountId || !accessToken) throw new ProviderUnavailable('Stripe answered the token request without stripe_user_id');
      return { accountId, accountName: null, accessToken, refreshToken: text(token.refresh_token), expiresAt: null };
    },

    refresh: async () => null,
    provisionWebhook: async () => null,
    removeWebhook: async () => {},

    async revoke({ accountId }) {
      await stripeCall('deauthorize', () => connect.oauth.deauthorize({ client_id: options.clientId, stripe_user_id: accountId }));
    },

    credentials: ({ accountId }) => ({ apiKey: options.secretKey, connectedAccount: accountId }),
  };
}
