import { ADMIN_TOKEN } from './service.js';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  key?: string;
  headers?: Record<string, string>;
  /** Sent as-is instead of JSON-encoding the body. */
  raw?: string | Buffer;
  redirect?: RequestRedirect;
}

/** A small HTTP client for one service: JSON in, JSON (or text) out, nothing hidden. */
export class Api {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let payload: string | Buffer | undefined = options.raw;
    if (body !== undefined && payload === undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body: payload as BodyInit | undefined, redirect: options.redirect ?? 'manual' });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json');
    return { status: response.status, headers: response.headers, body: isJson && text ? JSON.parse(text) : text };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, undefined, options);
  }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, body, options);
  }
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, body, options);
  }
  put<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, body, options);
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, undefined, options);
  }

  /** A workspace of its own for one test, and its API key. */
  async workspace(name = 'Test workspace'): Promise<{ id: string; key: string }> {
    const reply = await this.post('/api/workspaces', { name }, { key: ADMIN_TOKEN });
    if (reply.status !== 201) throw new Error(`creating a workspace failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return { id: reply.body.workspace.id, key: reply.body.api_key };
  }

  async campaign(key: string, fields: Record<string, unknown> = {}): Promise<any> {
    const reply = await this.post('/api/campaigns', { name: 'Spring launch', destination_url: 'https://shop.example.com/pricing', ...fields }, { key });
    if (reply.status !== 201) throw new Error(`creating a campaign failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  async link(key: string, campaignId: string, fields: Record<string, unknown> = {}): Promise<any> {
    const reply = await this.post('/api/links', { campaign_id: campaignId, ...fields }, { key });
    if (reply.status !== 201) throw new Error(`creating a link failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }
}

export const BROWSER_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
