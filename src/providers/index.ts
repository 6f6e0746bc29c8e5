// Placeholder until the adapters land (helper-3 replaces this file).
import { InvalidSignature, type PaymentProvider, type ProviderName } from './provider.js';

function unavailable(name: ProviderName): PaymentProvider {
  return {
    name,
    defaultMappings: [],
    async verify() { throw new InvalidSignature('adapter not built yet'); },
    normalize() { return { kind: 'unsupported' }; },
    async resolveCouponCodes() { return []; },
  };
}

export function createProviders(_config: { stripe: { apiBase: string }; polar: { apiBase: string } }): Record<ProviderName, PaymentProvider> {
  return { stripe: unavailable('stripe'), polar: unavailable('polar') };
}
