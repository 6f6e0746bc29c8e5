import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext } from 'playwright-core';
import { useService } from '../support/service.js';
import type { Api } from '../support/http.js';
import { UK_SITE } from './browser.js';

/** The checkouts a merchant's pricing page carries, each with its own query and fragment to keep. */
export const CHECKOUTS_HTML = `
  <a id="payment-link" href="https://buy.stripe.com/test_4gw5lq?prefilled_email=ana%40example.com&locale=fr#plans">Pro</a>
  <a id="payment-link-plain" href="https://buy.stripe.com/test_9Ak3cd">Team</a>
  <a id="payment-link-own-reference" href="https://buy.stripe.com/test_7sI2bc?client_reference_id=user_42">Mine</a>
  <stripe-buy-button id="buy-button" buy-button-id="buy_btn_1Abc" publishable-key="pk_test_123"></stripe-buy-button>
  <stripe-pricing-table id="pricing-table" pricing-table-id="prctbl_1Abc" publishable-key="pk_test_123"></stripe-pricing-table>
  <a id="polar-link" href="https://buy.polar.sh/polar_cl_AbC123?utm_source=newsletter#top">Polar</a>
  <a id="polar-sandbox-link" href="https://sandbox-api.polar.sh/v1/checkout-links/polar_cl_Xyz789/redirect">Polar sandbox</a>
  <a id="polar-org-checkout" href="https://polar.sh/acme/checkout?productId=prod_1">Polar org</a>
  <a id="lemon-link" class="lemonsqueezy-button" href="https://acme.lemonsqueezy.com/checkout/buy/4e3b5d2a-91c1-4a7e-b2f0-0c9d8e7f6a5b?embed=1&amp;discount=0">Lemon</a>
  <a id="lemon-share-link" href="https://acme.lemonsqueezy.com/buy/4e3b5d2a-91c1-4a7e-b2f0-0c9d8e7f6a5b">Lemon share link</a>
  <a id="lemon-own-custom" href="https://acme.lemonsqueezy.com/checkout/buy/5f4c?checkout[custom][synaptyx_clickid]=set_by_merchant_000">Lemon, already set</a>
  <a id="lemon-docs" href="https://docs.lemonsqueezy.com/help/checkout/passing-custom-data">Lemon docs</a>
  <a id="stripe-docs" href="https://stripe.com/docs/payments/checkout?x=1">Stripe docs</a>
  <a id="polar-docs" href="https://polar.sh/docs/features/checkout/links">Polar docs</a>
  <a id="elsewhere" href="https://example.com/pricing?plan=pro">Elsewhere</a>
  <form id="signup" data-synaptyx action="/checkout" method="post"><input name="plan" value="pro"></form>
  <form id="newsletter" action="/subscribe" method="post"><input name="email"></form>`;

/** The queue stub the README documents, and a page callback queued before the snippet loads. */
export const QUEUE_STUB_HTML = `
  <script>window.synaptyx = window.synaptyx || { q: [], ready: function (f) { this.q.push(f) } };</script>
  <script>
    window.earlyCalls = [];
    synaptyx.ready(function (s) { window.earlyCalls.push({ clickId: s.clickId(), payload: s.attach({ mode: 'payment', metadata: { plan: 'pro' } }) }) });
    synaptyx.ready(function () { throw new Error('a merchant callback that fails') });
    synaptyx.ready(function (s) { window.earlyCalls.push({ clickId: s.clickId() }) });
  </script>`;

/**
 * The merchant's site on `localhost` (another cookie site than the tracker on 127.0.0.1): each page is the
 * snippet plus a body. `/early` loads the snippet synchronously in <head>, before the body exists; `/twice`
 * includes it twice (a merchant's template and a tag manager, say); `/bare` has no snippet at all.
 */
export class MerchantSite {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly snippetUrl: string,
  ) {}

  static async start(snippetUrl: string): Promise<MerchantSite> {
    let site: MerchantSite | null = null;
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === '/favicon.ico') return void res.writeHead(204).end(); // else the browser logs its 404 as an error
      const html = site!.html(path);
      res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(html ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    site = new MerchantSite(server, (server.address() as AddressInfo).port, snippetUrl);
    return site;
  }

  /** http://localhost:<port> */
  get url(): string {
    return `http://localhost:${this.port}`;
  }

  /** The same site under `<subdomain>.example.co.uk`, whose widest cookie domain is .example.co.uk. */
  ukUrl(subdomain: string): string {
    return `http://${subdomain}.${UK_SITE}:${this.port}`;
  }

  /** The page at `path` (null: none), loading the snippet from `snippetUrl`. */
  html(path: string, snippetUrl = this.snippetUrl): string | null {
    const tag = `<script src="${snippetUrl}" async></script>`;
    const document = (head: string, body: string) => `<!doctype html><html><head><title>Shop</title>${head}</head><body>${body}</body></html>`;
    switch (path) {
      case '/shop':
        return document('', `<h1>Pricing</h1>${CHECKOUTS_HTML}${tag}`);
      case '/early':
        return document(`<script src="${snippetUrl}"></script>`, `<h1>Pricing</h1>${CHECKOUTS_HTML}`);
      case '/twice':
        return document(`<script src="${snippetUrl}"></script><script>window.firstSynaptyx = window.synaptyx</script>`, `<h1>Pricing</h1>${CHECKOUTS_HTML}${tag}`);
      case '/stub':
        return document(QUEUE_STUB_HTML, `<h1>Pricing</h1>${tag}`);
      case '/bare':
        return document('', `<h1>Pricing</h1>${CHECKOUTS_HTML}`);
      default:
        return null;
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface Shop {
  api: Api;
  tracker: string;
  site: MerchantSite;
  sourceId: string;
  key: string;
  /** The tracked link whose destination is the merchant's /shop page. */
  trackedUrl: string;
}

/**
 * A tracker, a source (Stripe, unless `source` names other fields), a campaign and tracked link pointing at the
 * merchant's site, for one describe().
 */
export function useShop(options: { env?: () => Record<string, string>; source?: () => Record<string, unknown> } = {}): Shop {
  const suite = useService(options.env);
  const shop = {} as Shop;
  before(async () => {
    shop.api = suite.api;
    shop.tracker = suite.running.url;
    const { key } = await shop.api.workspace();
    const source = await shop.api.post(
      '/api/sources',
      { provider: 'stripe', mode: 'api_key', api_key: 'sk_test_1234567890', webhook_secret: 'whsec_test_1234567890', ...options.source?.() },
      { key },
    );
    if (source.status !== 201) throw new Error(`creating a source failed: ${source.status} ${JSON.stringify(source.body)}`);
    shop.key = key;
    shop.sourceId = source.body.id;
    shop.site = await MerchantSite.start(`${shop.tracker}/s/${shop.sourceId}.js`);
    const campaign = await shop.api.campaign(key, { destination_url: `${shop.site.url}/shop` });
    const link = await shop.api.link(key, campaign.id);
    shop.trackedUrl = `${shop.tracker}/c/${link.slug}`;
  });
  after(() => shop.site?.close());
  return shop;
}

/** The merchant's site on https, for one visitor; its host's widest cookie domain is .example.com. */
export const SECURE_SITE = 'https://shop.example.com';

/**
 * Serves `SECURE_SITE` and the snippet (from `https://track.example.net`) to this visitor's browser from the
 * local servers through Playwright's routing, so pages run on https with no certificate and no network.
 */
export async function serveOverHttps(context: BrowserContext, shop: Shop): Promise<void> {
  const snippet = await (await fetch(`${shop.tracker}/s/${shop.sourceId}.js`)).text();
  await context.route('https://track.example.net/**', (route) =>
    route.fulfill({ contentType: 'application/javascript', body: snippet }),
  );
  await context.route(`${SECURE_SITE}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/favicon.ico') return route.fulfill({ status: 204 });
    const html = shop.site.html(path, `https://track.example.net/s/${shop.sourceId}.js`);
    return route.fulfill({ status: html ? 200 : 404, contentType: 'text/html; charset=utf-8', body: html ?? 'not found' });
  });
}
