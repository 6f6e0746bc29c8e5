import { randomBytes } from 'node:crypto';
import { FakeServer, bearer, consent, oauthError, type FakeRequest, type FakeResponse } from './fake-server.js';

const id = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

/** Stripe's error envelope; the SDK picks its error class from the status and `type`. */
const stripeError = (status: number, type: string, message: string): FakeResponse => ({ status, json: { error: { type, message } } });

/**
 * Stripe on 127.0.0.1, speaking the wire formats Synaptyx uses: Connect OAuth (`/oauth/authorize`,
 * `/oauth/token`, `/oauth/deauthorize` on the connect host) and the API (`/v1/checkout/sessions`,
 * `/v1/promotion_codes`). One server plays both hosts (STRIPE_CONNECT_BASE and STRIPE_API_BASE).
 */
export class FakeStripe extends FakeServer {
  readonly clientId = 'ca_test_synaptyx_platform';
  readonly secretKey = `sk_test_platform_${randomBytes(6).toString('hex')}`;
  /** The account the next authorization grants, and whether the merchant declines instead. */
  nextAccount = id('acct');
  decline = false;
  /** Connected accounts and the codes waiting to be exchanged. */
  readonly connected = new Set<string>();
  private readonly codes = new Map<string, string>();
  /** Checkout Sessions by owner: a connected account id, or `key:<api key>` for a merchant's own key. */
  private readonly sessions = new Map<string, Record<string, any>[]>();
  private readonly promotionCodes = new Map<string, Record<string, any>>();
  /** Merchants' own keys the API accepts, besides the platform key. */
  readonly apiKeys = new Set<string>();

  constructor() {
    super((request) => this.answer(request));
  }

  env(): Record<string, string> {
    return {
      STRIPE_CLIENT_ID: this.clientId, STRIPE_SECRET_KEY: this.secretKey, STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_fake_platform_connect',
      STRIPE_API_BASE: this.url, STRIPE_CONNECT_BASE: this.url,
      // The app the tests' OAuth flows return to (test/support/oauth.ts).
      SYX_ALLOWED_RETURN_HOSTS: 'app.example.com',
    };
  }

  addSession(owner: string, session: Record<string, any>): void {
    const list = this.sessions.get(owner) ?? [];
    list.unshift(session); // Stripe lists newest first
    this.sessions.set(owner, list);
  }

  addPromotionCode(code: string): string {
    const promotionCodeId = id('promo');
    this.promotionCodes.set(promotionCodeId, { id: promotionCodeId, object: 'promotion_code', active: true, code, coupon: { id: id('coupon'), object: 'coupon' } });
    return promotionCodeId;
  }

  private answer(request: FakeRequest): FakeResponse {
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /oauth/authorize') return this.authorize(request);
    if (route === 'POST /oauth/token') return this.token(request);
    if (route === 'POST /oauth/deauthorize') return this.deauthorize(request);
    const owner = this.owner(request);
    if ('status' in owner) return owner;
    if (route === 'GET /v1/checkout/sessions') return this.listSessions(owner.key, request);
    const session = /^GET \/v1\/checkout\/sessions\/([^/]+)$/.exec(route);
    if (session) return this.retrieveSession(owner.key, session[1], request);
    const promotionCode = /^GET \/v1\/promotion_codes\/([^/]+)$/.exec(route);
    if (promotionCode) {
      const found = this.promotionCodes.get(promotionCode[1]);
      return found ? { status: 200, json: found } : stripeError(404, 'invalid_request_error', `No such promotion code: '${promotionCode[1]}'`);
    }
    return stripeError(404, 'invalid_request_error', `Unrecognized request URL (${request.method}: ${request.path}).`);
  }

  /** The consent screen, approved (or declined) at once: back to the redirect_uri with a code and the state. */
  private authorize(request: FakeRequest): FakeResponse {
    return consent(request, {
      clientId: this.clientId,
      decline: this.decline,
      issueCode: () => {
        const code = id('ac');
        this.codes.set(code, this.nextAccount);
        return code;
      },
      extra: { scope: request.query.get('scope') ?? 'read_write' },
    });
  }

  private token(request: FakeRequest): FakeResponse {
    const { form } = request;
    if (form.get('client_secret') !== this.secretKey) return oauthError(401, 'invalid_client', 'No such client secret');
    if (form.get('grant_type') !== 'authorization_code') return oauthError(400, 'unsupported_grant_type', 'Only authorization_code here');
    const account = this.codes.get(form.get('code') ?? '');
    if (!account) return oauthError(400, 'invalid_grant', `Authorization code does not exist: ${form.get('code')}`);
    this.codes.delete(form.get('code')!);
    this.connected.add(account);
    return {
      status: 200,
      json: {
        access_token: `sk_test_connected_${randomBytes(6).toString('hex')}`,
        livemode: false,
        refresh_token: `rt_${randomBytes(6).toString('hex')}`,
        token_type: 'bearer',
        stripe_publishable_key: `pk_test_${randomBytes(6).toString('hex')}`,
        stripe_user_id: account,
        scope: 'read_only',
      },
    };
  }

  private deauthorize(request: FakeRequest): FakeResponse {
    if (bearer(request) !== this.secretKey) return oauthError(401, 'invalid_client', 'Invalid API key');
    const account = request.form.get('stripe_user_id') ?? '';
    if (request.form.get('client_id') !== this.clientId || !this.connected.delete(account)) {
      return oauthError(401, 'invalid_client', `No such application connected to ${account}`);
    }
    return { status: 200, json: { stripe_user_id: account } };
  }

  /** Whose data a request reads: the connected account named by Stripe-Account (platform key), or the key's own. */
  private owner(request: FakeRequest): { key: string } | FakeResponse {
    const key = bearer(request);
    const account = request.headers['stripe-account'];
    if (key === this.secretKey && typeof account === 'string') {
      return this.connected.has(account) ? { key: account } : stripeError(403, 'invalid_request_error', `The provided key does not have access to account '${account}'`);
    }
    if (key && this.apiKeys.has(key)) return { key: `key:${key}` };
    return stripeError(401, 'invalid_request_error', 'Invalid API Key provided.');
  }

  private listSessions(owner: string, request: FakeRequest): FakeResponse {
    const { query } = request;
    const since = Number(query.get('created[gte]') ?? 0);
    const limit = Number(query.get('limit') ?? 10);
    let sessions = (this.sessions.get(owner) ?? []).filter((session) => session.created >= since);
    if (query.get('status')) sessions = sessions.filter((session) => session.status === query.get('status'));
    const after = query.get('starting_after');
    if (after) sessions = sessions.slice(sessions.findIndex((session) => session.id === after) + 1);
    return { status: 200, json: { object: 'list', url: '/v1/checkout/sessions', has_more: sessions.length > limit, data: sessions.slice(0, limit) } };
  }

  private retrieveSession(owner: string, sessionId: string, request: FakeRequest): FakeResponse {
    const session = (this.sessions.get(owner) ?? []).find((candidate) => candidate.id === sessionId);
    if (!session) return stripeError(404, 'invalid_request_error', `No such checkout.session: '${sessionId}'`);
    const expand = [...request.query.entries()].filter(([name]) => name.startsWith('expand')).map(([, value]) => value);
    if (!expand.includes('discounts.promotion_code')) return { status: 200, json: session };
    const discounts = (session.discounts ?? []).map((discount: Record<string, any>) => ({
      ...discount,
      promotion_code: this.promotionCodes.get(discount.promotion_code) ?? discount.promotion_code,
    }));
    return { status: 200, json: { ...session, discounts } };
  }
}
