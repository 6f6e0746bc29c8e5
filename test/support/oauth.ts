import type { Api, Reply } from './http.js';

/**
 * The merchant's browser through a one-click connection: start it through the API, follow the authorize URL to
 * the fake provider (which approves or declines at once), and come back to the callback. The callback URL is
 * built on SYX_PUBLIC_URL; its path and query are requested from the service under test.
 */
export async function connectInBrowser(api: Api, key: string, provider: 'stripe' | 'polar', body?: Record<string, unknown>): Promise<{ callback: Reply; callbackUrl: string }> {
  const callbackUrl = await authorizeInBrowser(api, key, provider, body);
  return { callback: await followCallback(api, callbackUrl), callbackUrl };
}

/** Up to the provider's redirect back: the callback URL, with code (or error) and state. */
export async function authorizeInBrowser(api: Api, key: string, provider: 'stripe' | 'polar', body?: Record<string, unknown>): Promise<string> {
  const started = await api.post(`/api/sources/oauth/${provider}`, body, { key });
  if (started.status !== 200) throw new Error(`starting the connection failed: ${started.status} ${JSON.stringify(started.body)}`);
  const consent = await fetch(started.body.authorize_url, { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`the provider did not redirect back: ${consent.status} ${await consent.text()}`);
  return location;
}

export function followCallback(api: Api, callbackUrl: string): Promise<Reply> {
  const url = new URL(callbackUrl);
  return api.get(url.pathname + url.search);
}

/** The source a successful callback connected, from its redirect (return_url) or by listing. */
export async function connectedSource(api: Api, key: string, provider: 'stripe' | 'polar', body?: Record<string, unknown>): Promise<any> {
  const { callback } = await connectInBrowser(api, key, provider, { return_url: 'https://app.example.com/sources', ...body });
  if (callback.status !== 302) throw new Error(`the callback did not connect: ${callback.status} ${callback.body}`);
  const sourceId = new URL(callback.headers.get('location')!).searchParams.get('source_id');
  const source = await api.get(`/api/sources/${sourceId}`, { key });
  return source.body;
}
