import { expect } from 'chai';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStripeProvider } from '../../src/providers/stripe/index.js';
import type { OrderFacts, PaymentProvider } from '../../src/providers/provider.js';
import { orderFacts } from '../support/provider-fixtures.js';

interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** A Stripe API stand-in answering GET /v1/checkout/sessions/:id with its promotion codes expanded. */
function fakeStripe(discounts: unknown[]) {
  const seen: SeenRequest[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    seen.push({ method: request.method ?? '', path: url.pathname, query: url.searchParams, headers: request.headers });
    const match = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
    response.setHeader('content-type', 'application/json');
    if (request.method !== 'GET' || !match) {
      response.statusCode = 404;
      response.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } }));
      return;
    }
    response.end(JSON.stringify({ id: match[1], object: 'checkout.session', mode: 'payment', discounts }));
  });
  return { server, seen };
}

const promotionCode = (id: string, code: string) => ({ id, object: 'promotion_code', code, active: true, coupon: { id: `co_${id}`, object: 'coupon' } });

const order = (couponLookup: string | null): OrderFacts =>
  orderFacts({ orderId: 'pi_1', refs: ['pi_1', 'cs_test_promo'], amount: 900, currency: 'USD', couponLookup, occurredAt: new Date() });

describe('Stripe adapter: promotion codes through the API', () => {
  let server: Server;
  let seen: SeenRequest[];
  let stripe: PaymentProvider;

  before(async () => {
    ({ server, seen } = fakeStripe([
      { coupon: 'co_promo_1', promotion_code: promotionCode('promo_1', 'SUMMER25') },
      { coupon: 'co_plain', promotion_code: null }, // a coupon alone: no code to match
      { coupon: 'co_promo_2', promotion_code: promotionCode('promo_2', 'FRIEND10') },
    ]));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stripe = createStripeProvider({ apiBase: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  beforeEach(() => seen.splice(0));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('retrieves the session with discounts.promotion_code expanded, as the connected account', async () => {
    const codes = await stripe.resolveCouponCodes(order('cs_test_promo'), { apiKey: 'sk_test_platform', connectedAccount: 'acct_merchant_1' });
    expect(codes).to.deep.equal(['SUMMER25', 'FRIEND10']);
    expect(seen).to.have.length(1);
    const [request] = seen;
    expect(request).to.include({ method: 'GET', path: '/v1/checkout/sessions/cs_test_promo' });
    expect(request.query.getAll('expand[0]')).to.deep.equal(['discounts.promotion_code']);
    expect(request.headers['stripe-account']).to.equal('acct_merchant_1');
    expect(request.headers.authorization).to.equal('Bearer sk_test_platform');
  });

  it('uses the source’s own key with no Stripe-Account header when not connected', async () => {
    expect(await stripe.resolveCouponCodes(order('cs_test_own'), { apiKey: 'sk_test_own', connectedAccount: null })).to.deep.equal(['SUMMER25', 'FRIEND10']);
    expect(seen[0].path).to.equal('/v1/checkout/sessions/cs_test_own');
    expect(seen[0].headers).to.not.have.property('stripe-account');
    expect(seen[0].headers.authorization).to.equal('Bearer sk_test_own');
  });

  it('makes no call when the order needs no lookup', async () => {
    expect(await stripe.resolveCouponCodes(order(null), { apiKey: 'sk_test_own' })).to.deep.equal([]);
    expect(seen).to.have.length(0);
  });

  it('returns nothing for a session whose discounts carry only coupons', async () => {
    const coupons = fakeStripe([{ coupon: { id: 'co_1', object: 'coupon', name: 'Launch' }, promotion_code: null }]);
    await new Promise<void>((resolve) => coupons.server.listen(0, '127.0.0.1', resolve));
    try {
      const provider = createStripeProvider({ apiBase: `http://127.0.0.1:${(coupons.server.address() as AddressInfo).port}` });
      expect(await provider.resolveCouponCodes(order('cs_test_coupon'), { apiKey: 'sk_test_own' })).to.deep.equal([]);
      expect(coupons.seen).to.have.length(1);
    } finally {
      await new Promise<void>((resolve) => coupons.server.close(() => resolve()));
    }
  });
});
