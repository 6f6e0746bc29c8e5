import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { useBrowser } from './browser.js';
import { SECURE_SITE, serveOverHttps, useShop } from './merchant-site.js';

const CLICK_ID = /^[A-Za-z0-9_-]{16,64}$/;
const NINETY_DAYS = 90 * 24 * 3600;

const clickIdIn = (page: Page) => page.evaluate(() => (window as any).synaptyx.clickId() as string | null);
const urlClickId = (page: Page) => new URL(page.url()).searchParams.get('clickid');

describe('snippet: keeping the click id on the merchant site', () => {
  const shop = useShop();
  const browser = useBrowser();

  it('reads the click id of a tracked link from the URL and keeps it as a cookie on the merchant host', async () => {
    const visitor = await browser.visitor();
    const page = await visitor.open(shop.trackedUrl);
    expect(page.url()).to.match(new RegExp(`^${shop.site.url}/shop\\?clickid=`));
    const clickId = urlClickId(page);
    expect(clickId).to.match(CLICK_ID);
    expect(await clickIdIn(page)).to.equal(clickId);

    const [cookie, ...others] = await visitor.clickCookies(shop.site.url);
    expect(others).to.deep.equal([]);
    expect(cookie).to.include({ value: clickId, domain: 'localhost', path: '/', sameSite: 'Lax', secure: false, httpOnly: false });
    expect(cookie.expires - Date.now() / 1000).to.be.within(NINETY_DAYS - 60, NINETY_DAYS + 1);
    // The tracker's own cookie stays on the tracker's site; the merchant's is the snippet's first-party copy.
    expect((await visitor.clickCookies(shop.tracker)).map((c) => c.domain)).to.deep.equal(['127.0.0.1']);
  });

  it('still has it on a later visit without ?clickid', async () => {
    const visitor = await browser.visitor();
    const clickId = urlClickId(await visitor.open(shop.trackedUrl));
    const page = await visitor.open(`${shop.site.url}/shop`);
    expect(await clickIdIn(page)).to.equal(clickId);
  });

  it('replaces an older click with a newer one: the last click wins', async () => {
    const visitor = await browser.visitor();
    const first = urlClickId(await visitor.open(shop.trackedUrl));
    const second = urlClickId(await visitor.open(shop.trackedUrl));
    expect(second).to.match(CLICK_ID).and.not.equal(first);
    const page = await visitor.open(`${shop.site.url}/shop`);
    expect(await clickIdIn(page)).to.equal(second);
    expect((await visitor.clickCookies(shop.site.url)).map((cookie) => cookie.value)).to.deep.equal([second]);
  });

  it('ignores a clickid that does not match the click id pattern', async () => {
    const stranger = await browser.visitor();
    for (const bad of ['short', 'a'.repeat(65), 'has spaces in it 0123', 'semi;colon0123456789', '<script>alert(1)</script>']) {
      const page = await stranger.open(`${shop.site.url}/shop?clickid=${encodeURIComponent(bad)}`);
      expect(await clickIdIn(page), bad).to.equal(null);
    }
    expect(await stranger.clickCookies(shop.site.url)).to.deep.equal([]);

    const visitor = await browser.visitor();
    const clickId = urlClickId(await visitor.open(shop.trackedUrl));
    const page = await visitor.open(`${shop.site.url}/shop?clickid=bad%21id%21that%21is%21long`);
    expect(await clickIdIn(page), 'the stored id survives a malformed one').to.equal(clickId);
  });

  it('accepts any id of the contract pattern, from 16 to 64 characters', async () => {
    const visitor = await browser.visitor();
    for (const id of ['abcdefghijklmnop', `${'A1_-'.repeat(16)}`]) {
      const page = await visitor.open(`${shop.site.url}/shop?clickid=${id}`);
      expect(await clickIdIn(page)).to.equal(id);
    }
  });

  it('sets the cookie on the widest domain that accepts it, so every subdomain of the shop shares it', async () => {
    const visitor = await browser.visitor();
    const clickId = 'uk_visitor_click_id_0123456789';
    const page = await visitor.open(`${shop.site.ukUrl('shop')}/shop?clickid=${clickId}`);
    expect(await clickIdIn(page)).to.equal(clickId);
    // .co.uk is a public suffix the browser refuses; .example.co.uk is the widest it accepts.
    const cookies = await visitor.clickCookies(shop.site.ukUrl('shop'));
    expect(cookies.map((cookie) => [cookie.domain, cookie.value])).to.deep.equal([['.example.co.uk', clickId]]);
    const www = await visitor.open(`${shop.site.ukUrl('www')}/shop`);
    expect(await clickIdIn(www)).to.equal(clickId);
  });

  it('marks the cookie Secure on an https site, still SameSite=Lax on its widest domain', async () => {
    const visitor = await browser.visitor();
    await serveOverHttps(visitor.context, shop);
    const clickId = 'https_visitor_click_id_0123456789';
    const page = await visitor.open(`${SECURE_SITE}/shop?clickid=${clickId}`);
    expect(await clickIdIn(page)).to.equal(clickId);
    const cookies = await visitor.clickCookies(SECURE_SITE);
    expect(cookies).to.have.length(1);
    expect(cookies[0]).to.include({ value: clickId, domain: '.example.com', path: '/', sameSite: 'Lax', secure: true });
    expect(cookies[0].expires - Date.now() / 1000).to.be.within(NINETY_DAYS - 60, NINETY_DAYS + 1);
    expect(await clickIdIn(await visitor.open(`${SECURE_SITE}/shop`))).to.equal(clickId);
  });

  it('falls back to localStorage when the browser refuses cookies', async () => {
    const visitor = await browser.visitor({ cookiesRefused: true });
    const page = await visitor.open(shop.trackedUrl);
    const clickId = urlClickId(page);
    expect(clickId).to.match(CLICK_ID);
    expect(await clickIdIn(page)).to.equal(clickId);
    expect(await page.evaluate(() => localStorage.getItem('_syx_cid'))).to.equal(clickId);
    expect(await visitor.clickCookies(shop.site.url)).to.deep.equal([]);

    const later = await visitor.open(`${shop.site.url}/shop`);
    expect(await clickIdIn(later)).to.equal(clickId);
    const newer = urlClickId(await visitor.open(shop.trackedUrl));
    expect(await clickIdIn(await visitor.open(`${shop.site.url}/shop`)), 'last click wins in storage too').to.equal(newer);
  });

  it('keeps the id for the page alone, without an error, when cookies and localStorage are both refused', async () => {
    const visitor = await browser.visitor({ cookiesRefused: true, storageRefused: true });
    const page = await visitor.open(shop.trackedUrl);
    const clickId = urlClickId(page);
    expect(await clickIdIn(page)).to.equal(clickId);
    expect(await page.getAttribute('#payment-link-plain', 'href')).to.equal(`https://buy.stripe.com/test_9Ak3cd?client_reference_id=${clickId}`);
    expect(await clickIdIn(await visitor.open(`${shop.site.url}/shop`)), 'nothing could be kept').to.equal(null);
  });
});
