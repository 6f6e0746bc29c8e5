import Stripe from 'stripe';
import { OAuthRefused, ProviderUnavailable } from '../provider.js';

/** Runs a Stripe API call; a refusal of the credentials becomes OAuthRefused, anything else ProviderUnavailable. */
export async function stripeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    // Stripe's messages mask keys (sk_test_****1234); the first line says what failed.
    const message = `Stripe ${what}: ${String((error as Error).message).split('\n')[0]}`;
    if (
      error instanceof Stripe.errors.StripeAuthenticationError ||
      error instanceof Stripe.errors.StripePermissionError ||
      error instanceof Stripe.errors.StripeOAuthError
    ) {
      throw new OAuthRefused(message);
    }
    throw new ProviderUnavailable(message);
  }
}
