import type { OAuthApp, ProviderName } from './provider.js';
import { createStripeConnectApp } from './stripe/connect.js';
import { createPolarOAuthApp } from './polar/oauth.js';

export interface OAuthAppsConfig {
  stripe: { secretKey: string | null; clientId: string | null; connectBase: string };
  polar: { clientId: string | null; clientSecret: string | null; apiBase: string; authorizeBase: string };
}

/** The platform OAuth apps the operator configured; a provider without one has one-click connections off. */
export function createOAuthApps(config: OAuthAppsConfig): Partial<Record<ProviderName, OAuthApp>> {
  const apps: Partial<Record<ProviderName, OAuthApp>> = {};
  const { stripe, polar } = config;
  if (stripe.secretKey && stripe.clientId) {
    apps.stripe = createStripeConnectApp({ clientId: stripe.clientId, secretKey: stripe.secretKey, connectBase: stripe.connectBase });
  }
  if (polar.clientId && polar.clientSecret) {
    apps.polar = createPolarOAuthApp({ clientId: polar.clientId, clientSecret: polar.clientSecret, apiBase: polar.apiBase, authorizeBase: polar.authorizeBase });
  }
  return apps;
}
