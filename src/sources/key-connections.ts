import { DomainError, providerFailed, validationFailed } from '../errors.js';
import {
  OAuthRefused,
  PROVIDER_NAMES,
  type ApiCredentials,
  type KeyAccount,
  type PaymentProvider,
  type ProvisionedWebhook,
} from '../providers/provider.js';

/** What connecting by API key learned and made at the provider, before anything is stored. */
export interface KeyConnection {
  account: KeyAccount | null;
  /** The endpoint Synaptyx created, when the merchant gave no webhook secret. */
  webhook: ProvisionedWebhook | null;
}

/**
 * API-key mode at the provider: the key is checked where the adapter asks it anything, and without a webhook
 * secret the endpoint for `url` is created there. A refused key is the merchant's to fix (400 naming `api_key`); a
 * provider that does not answer is reported as such (502). Nothing is stored by the caller unless this succeeds.
 */
export async function connectByKey(provider: PaymentProvider, input: { api_key: string; webhook_secret?: string }, url: string): Promise<KeyConnection> {
  const name = PROVIDER_NAMES[provider.name];
  const creatingWebhook = !input.webhook_secret;
  const account = await atProvider(name, () => provider.checkKey(input.api_key, { creatingWebhook }));
  if (!creatingWebhook) return { account, webhook: null };
  const webhook = await atProvider(name, () => provider.provisionWebhook(keyCredentials(input.api_key), url, account));
  if (!webhook) {
    throw validationFailed(`${name} webhook endpoints are made in ${name}'s dashboard: create one for ${url} and send its signing secret.`, [
      { in: 'body', pointer: '/webhook_secret', message: `is required for ${provider.name}` },
    ]);
  }
  return { account, webhook };
}

export const keyCredentials = (apiKey: string): ApiCredentials => ({ apiKey });

async function atProvider<T>(name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof OAuthRefused) {
      throw validationFailed(`${name} refused the API key; nothing was connected.`, [{ in: 'body', pointer: '/api_key', message: error.message }]);
    }
    if (error instanceof DomainError) throw error;
    throw providerFailed(`${(error as Error).message}. Nothing was connected; try again in a moment.`);
  }
}
