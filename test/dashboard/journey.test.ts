import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { useService } from '../support/service.js';
import { dashboardUser, removeAllAccounts, TEST_PASSWORD, uniqueEmail } from '../support/dashboard.js';
import { checkPage, SCREENSHOTS, useDashboardBrowser } from '../support/dashboard-browser.js';
import { freePort } from '../support/processes.js';
import { FakeStripe } from '../support/fakes/stripe.js';
import { FakePolar } from '../support/fakes/polar.js';
import { BROWSER_UA } from '../support/http.js';
import { chargeRefunded, checkoutSession, stripeEvent } from '../support/stripe-events.js';
import { deliverStripe } from '../support/webhooks.js';

const STRIPE_SECRET = 'whsec_test_am91cm5leS1pbi1hLWJyb3dzZXI';

/** The merchant's site that tracked links lead to. */
function merchantSite(): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><html lang="en"><title>Shop</title><h1>Pricing</h1></html>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('The dashboard in Chromium: the first ten minutes', function () {
  this.timeout(180_000);
  const stripe = new FakeStripe();
  const polar = new FakePolar();
  let port = 0;
  let shop: Server;
  before(async () => {
    port = await freePort();
    await Promise.all([stripe.start(), polar.start()]);
    shop = await merchantSite();
  });
  after(async () => {
    await Promise.all([stripe.stop(), polar.stop()]);
    shop.close();
  });
  const suite = useService(() => ({ ...stripe.env(), ...polar.env(), PORT: String(port), SYX_PUBLIC_URL: `http://127.0.0.1:${port}` }));
  const browser = useDashboardBrowser(() => suite.running.url);
  const app = (path = '') => `${suite.running.url}${path}`;

  async function followNav(page: Page, name: string, heading: RegExp | string): Promise<void> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }

  it('setup link → account → campaign → link → a click → Stripe by API key and Stripe and Polar in one click → snippet → a sale and a refund on Overview and Conversions → CSV → sign out', async () => {
    await removeAllAccounts();
    const setupLink = (await suite.running.service.accounts.setupLinkIfNeeded())!;
    const owner = await browser.person();
    const page = await owner.page();

    // A new person opens the service: the first run asks for the setup link.
    await page.goto(app('/'));
    await page.getByRole('heading', { name: 'Open the setup link' }).waitFor();
    await page.goto(setupLink);
    await checkPage(page, 'setup');
    await page.getByLabel('Workspace name').fill('Acme Outdoors');
    await page.getByLabel('Email').fill(uniqueEmail('owner'));
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(app('/app'));
    await page.getByRole('heading', { name: 'Get started in three steps' }).waitFor();
    await checkPage(page, 'overview-empty');

    // A campaign and its link; the copy button puts the tracked link on the clipboard.
    await followNav(page, 'Campaigns', 'Campaigns');
    await checkPage(page, 'campaigns-empty');
    const destination = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/pricing`;
    await page.getByLabel('Name').fill('Spring launch');
    await page.getByLabel('Destination URL').fill(destination);
    await page.getByLabel('Coupon codes').fill('SPRING20');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { level: 1, name: 'Spring launch' }).waitFor();
    await page.getByRole('button', { name: 'Create link' }).click();
    const copy = page.getByRole('button', { name: /^Copy tracked link/ });
    await copy.waitFor();
    await copy.click();
    const trackedUrl = await page.evaluate(() => navigator.clipboard.readText());
    expect(trackedUrl).to.match(new RegExp(`^${app('/c/')}[A-Za-z0-9_-]+$`));

    // A visitor clicks it and lands on the shop with a click id.
    const visitor = await browser.person({ userAgent: BROWSER_UA });
    const visit = await visitor.page();
    await visit.goto(trackedUrl);
    const landed = new URL(visit.url());
    expect(landed.pathname).to.equal('/pricing');
    const clickId = landed.searchParams.get('clickid')!;
    expect(clickId).to.match(/^[A-Za-z0-9_-]{16,64}$/);
    await page.reload();
    await page.getByRole('cell', { name: '1', exact: true }).first().waitFor({ timeout: 10_000 });
    await checkPage(page, 'campaign');

    // Stripe by API key: the form shows the webhook URL before anything is saved.
    await followNav(page, 'Revenue sources', 'Revenue sources');
    await checkPage(page, 'sources-empty');
    await page.getByRole('link', { name: 'Use a Stripe API key instead' }).click();
    await page.getByText(/\/webhooks\/stripe\/src_/).first().waitFor();
    await checkPage(page, 'source-form-stripe');
    await page.getByLabel('API key').fill('sk_test_51JourneyInTheBrowser0000abcd');
    await page.getByLabel('Webhook signing secret').fill(STRIPE_SECRET);
    await page.getByRole('button', { name: 'Save source' }).click();
    await page.waitForURL(/\/app\/sources\/src_[0-9A-Z]+$/);
    const sourceId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByText(`/s/${sourceId}.js`).first().waitFor();
    expect(await page.content()).not.to.contain(STRIPE_SECRET).and.not.to.contain('sk_test_51JourneyInTheBrowser0000abcd');

    // Stripe and Polar in one click, against the fake providers: consent, callback, confirmation.
    for (const provider of ['Stripe', 'Polar']) {
      await followNav(page, 'Revenue sources', 'Revenue sources');
      await page.getByRole('button', { name: `Connect ${provider}` }).click();
      await page.waitForURL(/\/app\/sources\/src_[0-9A-Z]+/);
      await page.getByRole('status').filter({ hasText: /[Cc]onnected/ }).waitFor();
    }
    await followNav(page, 'Revenue sources', 'Revenue sources');
    await checkPage(page, 'sources');
    await page.goto(app(`/app/sources/${sourceId}`));
    await checkPage(page, 'source');

    // A signed webhook: the sale, credited to the visitor's click.
    const session = checkoutSession({ client_reference_id: clickId, amount_total: 14999, amount_subtotal: 14999, currency: 'usd' });
    const sold = await deliverStripe(suite.api, sourceId, stripeEvent('checkout.session.completed', session), { secret: STRIPE_SECRET });
    expect(sold.body).to.include({ outcome: 'attributed' });
    await followNav(page, 'Overview', 'Overview');
    await page.getByRole('row', { name: /Spring launch/ }).getByText('$149.99').first().waitFor();
    await followNav(page, 'Conversions', 'Conversions');
    await page.getByRole('row', { name: /Spring launch/ }).getByText('$149.99').first().waitFor();
    await checkPage(page, 'conversions');

    // A refund of $50 lowers net, in the sale's own row.
    const refunded = await deliverStripe(suite.api, sourceId, stripeEvent('charge.refunded', chargeRefunded({ payment_intent: session.payment_intent, amount: 14999, amount_refunded: 5000 })), { secret: STRIPE_SECRET });
    expect(refunded.body).to.include({ outcome: 'adjusted' });
    await followNav(page, 'Overview', 'Overview');
    const row = page.getByRole('row', { name: /Spring launch/ });
    await row.getByText('$99.99').first().waitFor();
    await row.getByText('$50.00').first().waitFor();
    await checkPage(page, 'overview');
    // The README's picture of the Overview (docs/overview.png is a copy of this one).
    await page.screenshot({ path: `${SCREENSHOTS}/overview-readme.png`, clip: { x: 0, y: 0, width: 1280, height: 1000 } });

    // The CSV download parses to the same numbers.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).to.match(/^synaptyx-campaign-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows: Record<string, string>[] = parse(readFileSync((await download.path())!, 'utf8'), { columns: true });
    const spring = rows.find((line) => line.label === 'Spring launch')!;
    expect(spring).to.include({ clicks: '1', conversions: '1', revenue_usd: '14999', refunded_usd: '5000', net_usd: '9999' });

    await followNav(page, 'Settings', 'Settings');
    await checkPage(page, 'settings');

    // Signing out ends it: every page sends the browser to sign in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await checkPage(page, 'sign-in');
    for (const path of ['/app', '/app/campaigns', '/app/sources', '/app/conversions', '/app/settings']) {
      await page.goto(app(path));
      expect(new URL(page.url()).pathname, path).to.equal('/login');
    }
  });

  it('refuses a one-click callback that arrives in another browser, signed out or signed in as someone else, and connects nothing', async () => {
    const owner = await dashboardUser(suite.running, { workspaceName: 'Victim shop' });
    const stranger = await dashboardUser(suite.running, { workspaceName: 'Attacker shop' });
    const person = await browser.person();
    const page = await person.page();
    await person.context.addCookies([{ name: 'syx_session', value: owner.client.cookies.get('syx_session')!, url: app() }]);
    // The owner clicks Connect; the service's answer (a redirect to the consent page) is caught, and the consent
    // page's redirect back (the callback, with code and state) taken as someone holding the link would.
    let authorize = '';
    await page.route('**/app/sources/connect/stripe', async (route) => {
      const answer = await route.fetch({ maxRedirects: 0 });
      authorize = answer.headers().location;
      await route.abort();
    });
    const stolenCallback = async () => {
      authorize = '';
      await page.goto(app('/app/sources'));
      await page.getByRole('button', { name: 'Connect Stripe' }).click();
      for (let i = 0; i < 50 && !authorize; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      person.problems.length = 0; // the aborted navigation is ours
      const callback = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
      expect(callback.pathname).to.equal('/oauth/stripe/callback');
      expect(callback.searchParams.get('code')).to.be.a('string');
      return callback.href;
    };

    // Each state works once, so each other browser gets a link of its own.
    for (const other of [null, stranger]) {
      const callback = await stolenCallback();
      const elsewhere = await browser.person();
      if (other) await elsewhere.context.addCookies([{ name: 'syx_session', value: other.client.cookies.get('syx_session')!, url: app() }]);
      const tab = await elsewhere.page();
      const answer = await tab.goto(callback);
      expect(answer!.status()).to.equal(400);
      await tab.getByText('started in another browser').waitFor();
      elsewhere.problems.length = 0; // the refused page's own 400 is the point here
    }
    for (const user of [owner, stranger]) expect((await suite.api.get('/api/sources', { key: user.key })).body.data).to.deep.equal([]);
  });
});
