import { randomBytes, randomUUID } from 'node:crypto';
import { FakeServer, bearer, consent, oauthError, type FakeRequest, type FakeResponse } from './fake-server.js';

const token = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;
const unauthorized: FakeResponse = { status: 401, json: { error: 'Unauthorized', detail: 'Invalid or expired access token' } };

export interface FakeEndpoint {
  id: string;
  url: string;
  secret: string;
  format: string;
  events: string[];
  organization_id: string;
}

/**
 * Polar on 127.0.0.1, speaking the wire formats Synaptyx uses: OAuth2 (`/oauth2/authorize` on the authorize host,
 * `/v1/oauth2/token` and `/v1/oauth2/revoke` on the API) and the API (`/v1/organizations/`,
 * `/v1/webhooks/endpoints`, `/v1/orders/`). Refreshing rotates the refresh token and revokes the old one, as
 * Polar does. One server plays both hosts (POLAR_AUTHORIZE_BASE and POLAR_API_BASE).
 */
export class FakePolar extends FakeServer {
  readonly clientId = 'polar_ci_test_synaptyx';
  readonly clientSecret = `polar_cs_${randomBytes(8).toString('hex')}`;
  /** The organization the next authorization grants (each test may take a new one). */
  organization = { id: randomUUID(), name: 'Acme Polar Shop', slug: 'acme' };
  decline = false;
  /** Seconds an access token lives (Polar: 10 days). */
  accessTokenTtl = 864_000;
  /** Makes the token endpoint answer 503 to refreshes, as a provider outage does. */
  refreshOutage = false;
  readonly endpoints = new Map<string, FakeEndpoint>();
  readonly orders: Record<string, any>[] = [];
  /** Organization access tokens (API-key mode) the API accepts, besides the OAuth tokens it issued. */
  readonly apiKeys = new Set<string>();
  /** Every token pair issued, oldest first. */
  readonly issued: { access: string; refresh: string }[] = [];
  private readonly codes = new Set<string>();
  private readonly accessTokens = new Map<string, { expiresAt: number; revoked: boolean }>();
  private readonly refreshTokens = new Map<string, { revoked: boolean }>();

  constructor() {
    super((request) => this.answer(request));
  }

  env(): Record<string, string> {
    return {
      POLAR_CLIENT_ID: this.clientId, POLAR_CLIENT_SECRET: this.clientSecret, POLAR_API_BASE: this.url, POLAR_AUTHORIZE_BASE: this.url,
      // The app the tests' OAuth flows return to (test/support/oauth.ts).
      SYX_ALLOWED_RETURN_HOSTS: 'app.example.com',
    };
  }

  newOrganization(): void {
    const slug = `shop-${randomBytes(3).toString('hex')}`;
    this.organization = { id: randomUUID(), name: `Polar ${slug}`, slug };
  }

  isRevoked(value: string): boolean {
    return Boolean(this.accessTokens.get(value)?.revoked ?? this.refreshTokens.get(value)?.revoked);
  }

  private answer(request: FakeRequest): FakeResponse {
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /oauth2/authorize') return this.authorize(request);
    if (route === 'POST /v1/oauth2/token') return this.token(request);
    if (route === 'POST /v1/oauth2/revoke') return this.revoke(request);
    if (!this.authorized(request)) return unauthorized;
    if (route === 'GET /v1/organizations') return this.page([this.organization], request);
    if (route === 'POST /v1/webhooks/endpoints') return this.createEndpoint(request);
    const endpoint = /^DELETE \/v1\/webhooks\/endpoints\/([^/]+)$/.exec(route);
    if (endpoint) return this.endpoints.delete(endpoint[1]) ? { status: 204 } : { status: 404, json: { error: 'ResourceNotFound', detail: 'Not found' } };
    if (route === 'GET /v1/orders') return this.listOrders(request);
    return { status: 404, json: { detail: 'Not Found' } };
  }

  private authorize(request: FakeRequest): FakeResponse {
    return consent(request, {
      clientId: this.clientId,
      decline: this.decline,
      issueCode: () => {
        const code = token('polar_ac');
        this.codes.add(code);
        return code;
      },
    });
  }

  private token(request: FakeRequest): FakeResponse {
    const { form } = request;
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    }
    if (form.get('grant_type') === 'authorization_code') {
      if (!this.codes.delete(form.get('code') ?? '')) return oauthError(400, 'invalid_grant', 'The authorization code is invalid or expired');
      return { status: 200, json: this.issue() };
    }
    if (form.get('grant_type') === 'refresh_token') {
      if (this.refreshOutage) return { status: 503, json: { detail: 'Service Unavailable' } };
      const current = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!current || current.revoked) return oauthError(400, 'invalid_grant', 'The refresh token is invalid or was revoked');
      current.revoked = true;
      return { status: 200, json: this.issue() };
    }
    return oauthError(400, 'unsupported_grant_type', 'Unsupported grant type');
  }

  private issue() {
    const access = token('polar_at_o');
    const refresh = token('polar_rt_o');
    this.accessTokens.set(access, { expiresAt: Date.now() + this.accessTokenTtl * 1000, revoked: false });
    this.refreshTokens.set(refresh, { revoked: false });
    this.issued.push({ access, refresh });
    return { access_token: access, token_type: 'Bearer', expires_in: this.accessTokenTtl, refresh_token: refresh, scope: 'orders:read refunds:read discounts:read organizations:read webhooks:read webhooks:write', id_token: null };
  }

  private revoke(request: FakeRequest): FakeResponse {
    const { form } = request;
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) return oauthError(401, 'invalid_client', 'Client authentication failed');
    const value = form.get('token') ?? '';
    const found = this.accessTokens.get(value) ?? this.refreshTokens.get(value);
    if (found) found.revoked = true;
    return { status: 200, json: {} };
  }

  private authorized(request: FakeRequest): boolean {
    if (this.apiKeys.has(bearer(request) ?? '')) return true;
    const access = this.accessTokens.get(bearer(request) ?? '');
    return Boolean(access && !access.revoked && access.expiresAt > Date.now());
  }

  private createEndpoint(request: FakeRequest): FakeResponse {
    const body = request.json ?? {};
    if (typeof body.url !== 'string' || body.format !== 'raw' || !Array.isArray(body.events)) {
      return { status: 422, json: { detail: [{ loc: ['body'], msg: 'url, format and events are required', type: 'value_error' }] } };
    }
    const endpoint: FakeEndpoint = {
      id: randomUUID(),
      url: body.url,
      secret: `polar_whs_${randomBytes(16).toString('base64url')}`,
      format: body.format,
      events: body.events,
      organization_id: body.organization_id ?? this.organization.id,
    };
    this.endpoints.set(endpoint.id, endpoint);
    const now = new Date().toISOString();
    return { status: 201, json: { ...endpoint, created_at: now, modified_at: null, name: null, api_version: '2026-10', enabled: true, uses_standard_webhook_signature: false } };
  }

  private listOrders(request: FakeRequest): FakeResponse {
    const { query } = request;
    const after = query.get('created_after');
    const statuses = query.getAll('status');
    const orders = this.orders
      .filter((order) => !after || Date.parse(order.created_at) > Date.parse(after))
      .filter((order) => statuses.length === 0 || statuses.includes(order.status))
      .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
    return this.page(orders, request);
  }

  private page(items: unknown[], request: FakeRequest): FakeResponse {
    const page = Number(request.query.get('page') ?? 1);
    const limit = Number(request.query.get('limit') ?? 10);
    return {
      status: 200,
      json: { items: items.slice((page - 1) * limit, page * limit), pagination: { total_count: items.length, max_page: Math.max(1, Math.ceil(items.length / limit)) } },
    };
  }
}
