import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { useBrowser } from './browser.js';
import { useShop } from './merchant-site.js';

const urlClickId = (page: Page) => new URL(page.url()).searchParams.get('clickid')!;
const hrefOf = (page: Page, id: string) => page.getAttribute(`#${id}`, 'href');

describe('snippet: carrying the click id into checkouts', () => {
  const shop = useShop();
  const browser = useBrowser();

  it('decorates Payment Links, Buy Buttons, pricing tables, Polar and Lemon Squeezy checkout links and marked forms, keeping their query', async () => {
    const visitor = await browser.visitor();
    const page = await visitor.open(shop.trackedUrl);
    const id = urlClickId(page);
    await page.waitForFunction(() => document.querySelector('#payment-link')!.getAttribute('href')!.includes('client_reference_id'));

    expect(await hrefOf(page, 'payment-link')).to.equal(
      `https://buy.stripe.com/test_4gw5lq?prefilled_email=ana%40example.com&locale=fr&client_reference_id=${id}#plans`,
    );
    expect(await hrefOf(page, 'payment-link-plain')).to.equal(`https://buy.stripe.com/test_9Ak3cd?client_reference_id=${id}`);
    expect(await hrefOf(page, 'payment-link-own-reference'), "the merchant's own reference wins").to.equal(
      'https://buy.stripe.com/test_7sI2bc?client_reference_id=user_42',
    );
    expect(await page.getAttribute('#buy-button', 'client-reference-id')).to.equal(id);
    expect(await page.getAttribute('#pricing-table', 'client-reference-id')).to.equal(id);
    expect(await hrefOf(page, 'polar-link')).to.equal(`https://buy.polar.sh/polar_cl_AbC123?utm_source=newsletter&reference_id=${id}#top`);
    expect(await hrefOf(page, 'polar-sandbox-link')).to.equal(
      `https://sandbox-api.polar.sh/v1/checkout-links/polar_cl_Xyz789/redirect?reference_id=${id}`,
    );
    expect(await hrefOf(page, 'polar-org-checkout')).to.equal(`https://polar.sh/acme/checkout?productId=prod_1&reference_id=${id}`);
    // Lemon Squeezy passes checkout[custom][...] from the link's query on as the order's custom data.
    expect(await hrefOf(page, 'lemon-link')).to.equal(
      `https://acme.lemonsqueezy.com/checkout/buy/4e3b5d2a-91c1-4a7e-b2f0-0c9d8e7f6a5b?embed=1&discount=0&checkout[custom][synaptyx_clickid]=${id}`,
    );
    expect(await hrefOf(page, 'lemon-share-link')).to.equal(`https://acme.lemonsqueezy.com/buy/4e3b5d2a-91c1-4a7e-b2f0-0c9d8e7f6a5b?checkout[custom][synaptyx_clickid]=${id}`);
    expect(await hrefOf(page, 'lemon-own-custom'), "the merchant's own value wins").to.equal(
      'https://acme.lemonsqueezy.com/checkout/buy/5f4c?checkout[custom][synaptyx_clickid]=set_by_merchant_000',
    );
    for (const [element, href] of [
      ['stripe-docs', 'https://stripe.com/docs/payments/checkout?x=1'],
      ['polar-docs', 'https://polar.sh/docs/features/checkout/links'],
      ['lemon-docs', 'https://docs.lemonsqueezy.com/help/checkout/passing-custom-data'],
      ['elsewhere', 'https://example.com/pricing?plan=pro'],
    ]) {
      expect(await hrefOf(page, element), `${element} is no checkout`).to.equal(href);
    }
    expect(await page.inputValue('#signup input[name=synaptyx_clickid]')).to.equal(id);
    expect(await page.locator('#newsletter input[name=synaptyx_clickid]').count()).to.equal(0);
  });

  it('decorates checkouts added after load, and is loaded early in <head> before the body exists', async () => {
    const visitor = await browser.visitor();
    const id = urlClickId(await visitor.open(shop.trackedUrl));
    const page = await visitor.open(`${shop.site.url}/early`);
    expect(await hrefOf(page, 'payment-link-plain')).to.equal(`https://buy.stripe.com/test_9Ak3cd?client_reference_id=${id}`);

    await page.evaluate(() => {
      const links = [
        ['late-link', 'https://buy.stripe.com/test_late?quantity=2'],
        // An empty reference is filled in place; the rest of the query keeps its exact bytes.
        ['empty-reference', 'https://buy.stripe.com/test_empty?client_reference_id=&amp;note=a%20b&amp;flag'],
        // The same, its name percent-encoded: filled through searchParams, and written once (no observer loop).
        ['encoded-reference', 'https://buy.stripe.com/test_encoded?client%5Freference_id='],
        // An empty Lemon Squeezy custom field, its brackets as written: filled in place.
        ['empty-lemon', 'https://acme.lemonsqueezy.com/buy/9a8b?checkout[custom][synaptyx_clickid]=&amp;quantity=2'],
      ];
      for (const [id, href] of links) document.body.insertAdjacentHTML('beforeend', `<a id="${id}" href="${href}">Buy</a>`);
      const button = document.createElement('stripe-buy-button');
      button.id = 'late-button';
      document.body.append(button);
      const section = document.createElement('section');
      section.innerHTML = '<form id="late-form" data-synaptyx action="/checkout"><input name="plan" value="team"></form>';
      document.body.append(section);
      // A link that becomes a checkout when the page re-points it (a plan switcher, say).
      document.querySelector('#elsewhere')!.setAttribute('href', 'https://buy.polar.sh/polar_cl_Switched?utm_medium=toggle');
      // A form the page marks for Synaptyx only later.
      section.insertAdjacentHTML('beforeend', '<form id="marked-later" action="/checkout"></form>');
      document.querySelector('#marked-later')!.setAttribute('data-synaptyx', '');
    });
    await page.waitForFunction(() => document.querySelector('#late-link')!.getAttribute('href')!.includes('client_reference_id'));
    expect(await hrefOf(page, 'late-link')).to.equal(`https://buy.stripe.com/test_late?quantity=2&client_reference_id=${id}`);
    await page.waitForFunction(() => document.querySelector('#late-button')!.hasAttribute('client-reference-id'));
    expect(await page.getAttribute('#late-button', 'client-reference-id')).to.equal(id);
    expect(await page.inputValue('#late-form input[name=synaptyx_clickid]')).to.equal(id);
    await page.waitForFunction(() => document.querySelector('#elsewhere')!.getAttribute('href')!.includes('reference_id'));
    expect(await hrefOf(page, 'elsewhere')).to.equal(`https://buy.polar.sh/polar_cl_Switched?utm_medium=toggle&reference_id=${id}`);
    await page.waitForFunction(() => !document.querySelector('#empty-reference')!.getAttribute('href')!.includes('_id=&'));
    expect(await hrefOf(page, 'empty-reference')).to.equal(`https://buy.stripe.com/test_empty?client_reference_id=${id}&note=a%20b&flag`);
    await page.waitForFunction(() => !document.querySelector('#encoded-reference')!.getAttribute('href')!.endsWith('_id='));
    expect(await hrefOf(page, 'encoded-reference')).to.equal(`https://buy.stripe.com/test_encoded?client_reference_id=${id}`);
    await page.waitForFunction(() => !document.querySelector('#empty-lemon')!.getAttribute('href')!.includes('_clickid]=&'));
    expect(await hrefOf(page, 'empty-lemon')).to.equal(`https://acme.lemonsqueezy.com/buy/9a8b?checkout[custom][synaptyx_clickid]=${id}&quantity=2`);
    await page.waitForFunction(() => document.querySelector('#marked-later input[name=synaptyx_clickid]'));
    expect(await page.inputValue('#marked-later input[name=synaptyx_clickid]')).to.equal(id);

    // attach() with no payload decorates on demand: read in the same task, before any observer callback runs.
    const decorated = await page.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<stripe-pricing-table id="on-demand"></stripe-pricing-table>');
      (window as any).synaptyx.attach();
      return document.querySelector('#on-demand')!.getAttribute('client-reference-id');
    });
    expect(decorated).to.equal(id);
  });

  it('runs once when the page includes it twice', async () => {
    const visitor = await browser.visitor();
    const id = urlClickId(await visitor.open(shop.trackedUrl));
    const page = await visitor.open(`${shop.site.url}/twice`);
    // goto() has waited for the load event, which waits for the async copy too.
    expect(await page.evaluate(() => (window as any).synaptyx === (window as any).firstSynaptyx)).to.equal(true);
    expect(await hrefOf(page, 'payment-link-plain')).to.equal(`https://buy.stripe.com/test_9Ak3cd?client_reference_id=${id}`);
    expect(await page.locator('#signup input[name=synaptyx_clickid]').count()).to.equal(1);
  });

  it('puts the click id into Stripe Checkout and Polar checkout payloads, keeping their metadata and never changing the original', async () => {
    const visitor = await browser.visitor();
    const id = urlClickId(await visitor.open(shop.trackedUrl));
    const page = await visitor.open(`${shop.site.url}/shop`);
    const result = await page.evaluate(() => {
      const { synaptyx } = window as any;
      const payment = { mode: 'payment', line_items: [{ price: 'price_1', quantity: 1 }], metadata: { plan: 'pro' } };
      const subscription = { mode: 'subscription', subscription_data: { trial_period_days: 7, metadata: { tier: 'gold' } } };
      const polar = { products: ['prod_1'], metadata: { source: 'pricing' } };
      const attached = { payment: synaptyx.attach(payment), subscription: synaptyx.attach(subscription), polar: synaptyx.attach(polar) };
      return { attached, originals: { payment, subscription, polar }, odd: [synaptyx.attach('text'), synaptyx.attach([1]), synaptyx.attach(null)] };
    });
    expect(result.attached.payment).to.deep.equal({
      mode: 'payment', line_items: [{ price: 'price_1', quantity: 1 }], metadata: { plan: 'pro', synaptyx_clickid: id },
    });
    expect(result.attached.subscription).to.deep.equal({
      mode: 'subscription',
      metadata: { synaptyx_clickid: id },
      subscription_data: { trial_period_days: 7, metadata: { tier: 'gold', synaptyx_clickid: id } },
    });
    expect(result.attached.polar).to.deep.equal({ products: ['prod_1'], metadata: { source: 'pricing', synaptyx_clickid: id } });
    expect(result.originals.payment.metadata).to.deep.equal({ plan: 'pro' });
    expect(result.originals.subscription.subscription_data.metadata).to.deep.equal({ tier: 'gold' });
    expect(result.odd).to.deep.equal(['text', [1], null]);
  });

  it('runs calls queued before it loaded, through the README stub, and survives a callback that throws', async () => {
    const visitor = await browser.visitor();
    const id = urlClickId(await visitor.open(shop.trackedUrl));
    const page = await visitor.open(`${shop.site.url}/stub`);
    await page.waitForFunction(() => (window as any).earlyCalls.length === 2);
    expect(await page.evaluate(() => (window as any).earlyCalls)).to.deep.equal([
      { clickId: id, payload: { mode: 'payment', metadata: { plan: 'pro', synaptyx_clickid: id } } },
      { clickId: id },
    ]);
  });

  it('does nothing for a visitor who came through no tracked link', async () => {
    const visitor = await browser.visitor();
    const page = await visitor.open(`${shop.site.url}/shop`);
    const seen = await page.evaluate(() => {
      const { synaptyx } = window as any;
      const payload = { mode: 'payment', metadata: { plan: 'pro' } };
      return { clickId: synaptyx.clickId(), same: synaptyx.attach(payload) === payload, decorated: synaptyx.attach() };
    });
    expect(seen).to.deep.equal({ clickId: null, same: true, decorated: undefined });
    expect(await hrefOf(page, 'payment-link-plain')).to.equal('https://buy.stripe.com/test_9Ak3cd');
    expect(await page.getAttribute('#buy-button', 'client-reference-id')).to.equal(null);
    expect(await page.locator('#signup input[name=synaptyx_clickid]').count()).to.equal(0);
    expect(await visitor.clickCookies(shop.site.url)).to.deep.equal([]);
  });

  it('defines no global but window.synaptyx and makes no request of its own', async () => {
    const visitor = await browser.visitor();
    await visitor.open(shop.trackedUrl);
    const globals = (page: Page) => page.evaluate(() => Object.keys(window));
    const bare = await globals(await visitor.open(`${shop.site.url}/bare`, { waitForSnippet: false }));
    const withSnippet = await globals(await visitor.open(`${shop.site.url}/shop`));
    expect(withSnippet.filter((name) => !bare.includes(name))).to.deep.equal(['synaptyx']);

    const trackerRequests = visitor.requests.filter((url) => url.startsWith(shop.tracker));
    expect(trackerRequests.every((url) => url.includes('/c/') || url.endsWith(`/s/${shop.sourceId}.js`)), trackerRequests.join('\n')).to.equal(true);
    const elsewhere = visitor.requests.filter((url) => !url.startsWith(shop.tracker) && !url.startsWith(shop.site.url));
    expect(elsewhere).to.deep.equal([]);
  });
});
