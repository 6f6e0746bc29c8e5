import { OAuthRefused, ProviderUnavailable } from '../provider.js';

/** Runs a Polar SDK call; 401/403 become OAuthRefused (the token is no good), anything else ProviderUnavailable. */
export async function polarCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = statusOf(error);
    const message = `Polar ${what}: ${status ? `answered ${status}` : `could not be reached (${(error as Error).message})`}`;
    if (status === 401 || status === 403) throw new OAuthRefused(message);
    throw new ProviderUnavailable(message);
  }
}

/** The SDK's client errors carry `statusCode`; its server errors only say it in the message. */
export function statusOf(error: unknown): number | null {
  const code = (error as { statusCode?: unknown }).statusCode;
  if (typeof code === 'number') return code;
  const match = /returned a server error: (\d{3})/.exec(String((error as Error)?.message));
  return match ? Number(match[1]) : null;
}
