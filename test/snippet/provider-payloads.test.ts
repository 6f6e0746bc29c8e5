import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { useBrowser } from './browser.js';
import { useShop } from './merchant-site.js';
import { FakeLemonSqueezy } from '../support/fakes/lemonsqueezy.js';
import { LEMON_WEBHOOK_SECRET } from '../support/lemonsqueezy-events.js';
import { PADDLE_WEBHOOK_SECRET } from '../support/paddle-events.js';

const urlClickId = (page: Page) => new URL(page.url()).searchParams.get('clickid')!;

/** A visitor who came through the tracked link, on the merchant's pricing page with this source's snippet. */
async function pricingPage(browser: ReturnType<typeof useBrowser>, shop: ReturnType<typeof useShop>) {
  const visitor = await browser.visitor();
  const id = urlClickId(await visitor.open(shop.trackedUrl));
  const page = await visitor.open(`${shop.site.url}/shop`);
  return { id, page };
}

describe('snippet: attach(payload) for a Paddle source', () => {
  const shop = useShop({ source: () => ({ provider: 'paddle', api_key: 'pdl_live_apikey_01snippettest_0000', webhook_secret: PADDLE_WEBHOOK_SECRET }) });
  const browser = useBrowser();

  it("sets customData.synaptyx_clickid for Paddle.Checkout.open, keeping the merchant's custom data and their object", async () => {
    const { id, page } = await pricingPage(browser, shop);
    const result = await page.evaluate(() => {
      const { synaptyx } = window as any;
      const open = { items: [{ priceId: 'pri_01gsz8x8sawmvhz1pv30nge1ke', quantity: 1 }], customer: { email: 'ana@example.com' }, customData: { plan: 'pro' } };
      return { attached: synaptyx.attach(open), bare: synaptyx.attach({ items: [] }), original: open, odd: [synaptyx.attach('text'), synaptyx.attach(null)] };
    });
    expect(result.attached).to.deep.equal({
      items: [{ priceId: 'pri_01gsz8x8sawmvhz1pv30nge1ke', quantity: 1 }], customer: { email: 'ana@example.com' }, customData: { plan: 'pro', synaptyx_clickid: id },
    });
    expect(result.bare).to.deep.equal({ items: [], customData: { synaptyx_clickid: id } });
    expect(result.original.customData).to.deep.equal({ plan: 'pro' });
    expect(result.odd).to.deep.equal(['text', null]);
    // The page's checkout links are decorated whatever the source's provider.
    await page.waitForFunction(() => document.querySelector('#lemon-link')!.getAttribute('href')!.includes('synaptyx_clickid'));
  });
});

describe('snippet: attach(payload) for a Lemon Squeezy source', () => {
  const lemon = new FakeLemonSqueezy();
  before(() => lemon.start());
  after(() => lemon.stop());
  const shop = useShop({
    env: () => lemon.env(),
    source: () => ({ provider: 'lemonsqueezy', api_key: lemon.newKey(), webhook_secret: LEMON_WEBHOOK_SECRET }),
  });
  const browser = useBrowser();

  it('sets checkout_data.custom.synaptyx_clickid in a POST /v1/checkouts document or its attributes', async () => {
    const { id, page } = await pricingPage(browser, shop);
    const result = await page.evaluate(() => {
      const { synaptyx } = window as any;
      const document = {
        data: {
          type: 'checkouts',
          attributes: { checkout_data: { email: 'ana@example.com', custom: { user_id: '42' } }, product_options: { redirect_url: 'https://shop.example.com/thanks' } },
          relationships: { store: { data: { type: 'stores', id: '1' } }, variant: { data: { type: 'variants', id: '1' } } },
        },
      };
      return { document: synaptyx.attach(document), attributes: synaptyx.attach({ product_options: { enabled_variants: [1] } }), original: document };
    });
    expect(result.document).to.deep.equal({
      data: {
        type: 'checkouts',
        attributes: { checkout_data: { email: 'ana@example.com', custom: { user_id: '42', synaptyx_clickid: id } }, product_options: { redirect_url: 'https://shop.example.com/thanks' } },
        relationships: { store: { data: { type: 'stores', id: '1' } }, variant: { data: { type: 'variants', id: '1' } } },
      },
    });
    expect(result.attributes).to.deep.equal({ product_options: { enabled_variants: [1] }, checkout_data: { custom: { synaptyx_clickid: id } } });
    expect(result.original.data.attributes.checkout_data.custom).to.deep.equal({ user_id: '42' });
    expect(result.document, 'no Stripe metadata').to.not.have.property('metadata');
    await page.waitForFunction(() => document.querySelector('#lemon-link')!.getAttribute('href')!.includes('synaptyx_clickid'));
    expect(await page.getAttribute('#lemon-link', 'href')).to.contain(`checkout[custom][synaptyx_clickid]=${id}`);
  });
});
