import { OAuthRefused, ProviderUnavailable } from './provider.js';
import { object, type Json } from './fields.js';

/** One call to a provider's JSON API with the merchant's key (Lemon Squeezy, Paddle: no SDK of theirs fits). */
export interface RestCall {
  /** The provider and what the call does, for messages: "Paddle", "creating the notification destination". */
  provider: string;
  what: string;
  url: string;
  method?: 'GET' | 'POST' | 'DELETE';
  apiKey: string;
  body?: unknown;
  /** Content type for the request and the answer (Lemon Squeezy speaks JSON:API). */
  mediaType?: string;
  /** The provider's own words for an error, read from its error body. */
  errorDetail(body: Json): string | null;
  /** Statuses that are answers rather than failures: 404 for a delete of something already gone. */
  accept?: number[];
}

const TIMEOUT_MS = 15_000;

/**
 * Sends the call and answers the status and parsed body. A refused key (401, 403) becomes OAuthRefused; no answer,
 * a time-out or any other error status becomes ProviderUnavailable. Messages quote the provider, never the key.
 */
export async function restCall(call: RestCall): Promise<{ status: number; body: Json }> {
  const mediaType = call.mediaType ?? 'application/json';
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method ?? 'GET',
      headers: {
        authorization: `Bearer ${call.apiKey}`,
        accept: mediaType,
        ...(call.body === undefined ? {} : { 'content-type': mediaType }),
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ProviderUnavailable(`${call.provider} ${call.what}: could not be reached (${(error as Error).message})`);
  }
  const body = object(parsed(await response.text().catch(() => '')));
  if (response.ok || call.accept?.includes(response.status)) return { status: response.status, body };
  const detail = call.errorDetail(body);
  const message = `${call.provider} ${call.what}: answered ${response.status}${detail ? ` (${detail.slice(0, 200)})` : ''}`;
  if (response.status === 401 || response.status === 403) throw new OAuthRefused(message);
  throw new ProviderUnavailable(message);
}

function parsed(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
