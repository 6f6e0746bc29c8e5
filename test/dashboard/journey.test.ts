import { expect } from 'chai';
import { useService } from '../support/service.js';
import { removeAllAccounts, TEST_PASSWORD, uniqueEmail } from '../support/dashboard.js';
import { checkPage, useDashboardBrowser } from '../support/dashboard-browser.js';
import { freePort } from '../support/processes.js';

describe('The dashboard in Chromium: the first ten minutes', function () {
  this.timeout(120_000);
  let port = 0;
  before(async () => {
    port = await freePort();
  });
  const suite = useService(() => ({ PORT: String(port), SYX_PUBLIC_URL: `http://127.0.0.1:${port}` }));
  const browser = useDashboardBrowser(() => suite.running.url);

  it('walks from the setup link to an account, an empty Overview that says what to do, and settings; sign-out ends it', async () => {
    await removeAllAccounts();
    const setupLink = (await suite.running.service.accounts.setupLinkIfNeeded())!;
    const person = await browser.person();
    const page = await person.page();

    await page.goto(suite.running.url);
    await page.getByRole('heading', { name: 'Open the setup link' }).waitFor();

    await page.goto(setupLink);
    await checkPage(page, 'setup');
    await page.getByLabel('Workspace name').fill('Acme Outdoors');
    await page.getByLabel('Email').fill(uniqueEmail('owner'));
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${suite.running.url}/app`);
    await page.getByRole('heading', { name: 'Get started in three steps' }).waitFor();
    await checkPage(page, 'overview-empty');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await checkPage(page, 'settings');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await checkPage(page, 'sign-in');
    await page.goto(`${suite.running.url}/app/settings`);
    expect(page.url()).to.equal(`${suite.running.url}/login?next=%2Fapp%2Fsettings`);
  });
});
