import type { PaymentProvider, ProviderName } from './provider.js';
import { createStripeProvider } from './stripe/index.js';
import { createPolarProvider } from './polar/index.js';
import { createLemonSqueezyProvider } from './lemonsqueezy/index.js';
import { createPaddleProvider } from './paddle/index.js';

export interface ProvidersConfig {
  stripe: { apiBase: string };
  polar: { apiBase: string };
  lemonsqueezy: { apiBase: string };
  /** Null: Paddle's own hosts, live or sandbox by the key. */
  paddle: { apiBase: string | null };
}

/** Every provider Synaptyx speaks to. A new provider is a new folder and one line here. */
export function createProviders(config: ProvidersConfig): Record<ProviderName, PaymentProvider> {
  return {
    stripe: createStripeProvider(config.stripe),
    polar: createPolarProvider(config.polar),
    lemonsqueezy: createLemonSqueezyProvider(config.lemonsqueezy),
    paddle: createPaddleProvider(config.paddle),
  };
}
