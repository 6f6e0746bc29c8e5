import type { PaymentProvider, ProviderName } from './provider.js';
import { createStripeProvider } from './stripe/index.js';
import { createPolarProvider } from './polar/index.js';

/** Every provider Synaptyx speaks to. A new provider is a new folder and one line here. */
export function createProviders(config: { stripe: { apiBase: string }; polar: { apiBase: string } }): Record<ProviderName, PaymentProvider> {
  return { stripe: createStripeProvider(config.stripe), polar: createPolarProvider(config.polar) };
}
