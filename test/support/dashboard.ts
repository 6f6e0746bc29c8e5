import { randomBytes } from 'node:crypto';
import { testDatabase } from './hooks.js';
import type { RunningService } from './service.js';
import { Api } from './http.js';

export interface PageReply {
  status: number;
  headers: Headers;
  html: string;
  /** Where a redirect points (relative to the service), or null. */
  location: string | null;
}

/**
 * A browser without a browser, for the dashboard's HTTP tests: keeps its cookies, sends forms as a browser does
 * (urlencoded, with an Origin), and reads the CSRF token from the last page it got.
 */
export class PageClient {
  readonly cookies = new Map<string, string>();
  csrf: string | null = null;

  constructor(readonly baseUrl: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<PageReply> {
    return this.send('GET', path, undefined, headers);
  }

  /** Posts a form; `_csrf` is the last page's token unless the fields name one (or `null` leaves it out). */
  async post(path: string, fields: Record<string, string | string[] | null> = {}, headers: Record<string, string> = {}): Promise<PageReply> {
    const body = new URLSearchParams();
    const withToken = '_csrf' in fields ? fields : { _csrf: this.csrf, ...fields };
    for (const [name, value] of Object.entries(withToken)) {
      if (value === null) continue;
      for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
    }
    return this.send('POST', path, body.toString(), { 'content-type': 'application/x-www-form-urlencoded', origin: this.baseUrl, ...headers });
  }

  private async send(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<PageReply> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(this.baseUrl + path, { method, body, redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...headers } });
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (attributes.some((attribute) => attribute.trim().toLowerCase() === 'max-age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html);
    if (token) this.csrf = token[1];
    const location = response.headers.get('location');
    return { status: response.status, headers: response.headers, html, location: location ? location.replace(this.baseUrl, '') : null };
  }
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** A unique address, so tests never share an account. */
export const uniqueEmail = (name = 'person') => `${name}-${randomBytes(4).toString('hex')}@example.com`;

export interface DashboardUser {
  email: string;
  password: string;
  workspaceId: string;
  /** The workspace's API key, for building data through the API. */
  key: string;
  /** A client signed in as this person. */
  client: PageClient;
}

/** A workspace (through the API), its owner (through the CLI's domain function) with a password, signed in. */
export async function dashboardUser(running: RunningService, options: { name?: string; workspaceName?: string } = {}): Promise<DashboardUser> {
  const api = new Api(running.url);
  const workspace = await api.workspace(options.workspaceName ?? 'Dashboard workspace');
  const email = uniqueEmail(options.name);
  const created = await running.service.accounts.createUser(email, workspace.id);
  const client = new PageClient(running.url);
  const link = new URL(created.password_link);
  await client.get(`${link.pathname}${link.search}`);
  const set = await client.post('/password/set', { token: link.searchParams.get('token')!, password: TEST_PASSWORD });
  if (set.status !== 303) throw new Error(`setting the password failed: ${set.status}`);
  await client.get('/app');
  return { email, password: TEST_PASSWORD, workspaceId: workspace.id, key: workspace.key, client };
}

/**
 * The first-run state (no account at all) for a setup test. Accounts are global, so this removes every account
 * of the run's database; suites run one at a time, and each builds its own people, so none relies on another's.
 */
export async function removeAllAccounts(): Promise<void> {
  await testDatabase().db('users').delete();
}
