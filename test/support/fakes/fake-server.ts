import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The raw body text; `form` and `json` are its parsed forms when the content type says so. */
  body: string;
  form: URLSearchParams;
  json: any;
}

export interface FakeResponse {
  status: number;
  json?: unknown;
  /** A redirect (authorize pages). */
  location?: string;
}

export type FakeHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/**
 * A provider's HTTP API on 127.0.0.1 for tests. Every request is recorded; `down` makes it drop connections
 * without answering, as an unreachable provider does.
 */
export class FakeServer {
  readonly requests: FakeRequest[] = [];
  down = false;
  private server: Server | null = null;
  private port = 0;

  constructor(private readonly handle: FakeHandler) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      if (this.down) return req.socket.destroy();
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', this.url);
      const type = req.headers['content-type'] ?? '';
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname.replace(/\/+$/, '') || '/',
        query: url.searchParams,
        headers: req.headers,
        body,
        form: new URLSearchParams(type.includes('x-www-form-urlencoded') ? body : ''),
        json: type.includes('json') && body ? JSON.parse(body) : null,
      };
      this.requests.push(request);
      const answer = await this.handle(request);
      if (answer.location) {
        res.writeHead(answer.status, { location: answer.location }).end();
      } else if (answer.json === undefined) {
        res.writeHead(answer.status).end();
      } else {
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }

  /** The requests to one path (and method), in order. */
  to(method: string, path: string): FakeRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }
}

export const bearer = (request: FakeRequest) => /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? null;

export const oauthError = (status: number, error: string, description: string): FakeResponse => ({ status, json: { error, error_description: description } });

/**
 * An OAuth consent screen, approved (or declined) at once: back to the redirect_uri with the state and a code
 * from `issueCode` (or `error=access_denied`), plus whatever `extra` parameters the provider adds.
 */
export function consent(
  request: FakeRequest,
  options: { clientId: string; decline: boolean; issueCode(): string; extra?: Record<string, string> },
): FakeResponse {
  const { query } = request;
  if (query.get('client_id') !== options.clientId || query.get('response_type') !== 'code' || !query.get('redirect_uri')) {
    return oauthError(400, 'invalid_request', 'client_id, response_type=code and redirect_uri are required');
  }
  const back = new URL(query.get('redirect_uri')!);
  if (query.get('state')) back.searchParams.set('state', query.get('state')!);
  if (options.decline) {
    back.searchParams.set('error', 'access_denied');
    back.searchParams.set('error_description', 'The user denied your request');
  } else {
    back.searchParams.set('code', options.issueCode());
    for (const [name, value] of Object.entries(options.extra ?? {})) back.searchParams.set(name, value);
  }
  return { status: 302, location: back.href };
}
