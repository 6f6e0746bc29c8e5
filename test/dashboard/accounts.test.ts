import { expect } from 'chai';
import { useService } from '../support/service.js';
import { dashboardUser, PageClient, removeAllAccounts, TEST_PASSWORD, uniqueEmail } from '../support/dashboard.js';
import { testDatabase } from '../support/hooks.js';

describe('Dashboard accounts: setup, sign-in, sessions', () => {
  const suite = useService();

  describe('first run', () => {
    beforeEach(removeAllAccounts);

    it('sends / to the setup page while no account exists, and the setup link creates the owner and signs them in', async () => {
      const client = new PageClient(suite.running.url);
      expect((await client.get('/')).location).to.equal('/setup');
      const url = new URL((await suite.running.service.accounts.setupLinkIfNeeded())!);
      const page = await client.get(`${url.pathname}${url.search}`);
      expect(page.status).to.equal(200);
      expect(page.html).to.contain('Create account');

      const email = uniqueEmail('owner');
      const created = await client.post('/setup', { token: url.searchParams.get('token')!, workspace_name: 'Acme', email, password: TEST_PASSWORD });
      expect(created.status).to.equal(303);
      expect(created.location).to.equal('/app');
      const overview = await client.get('/app');
      expect(overview.status).to.equal(200);
      expect(overview.html).to.contain('Acme');
      expect((await client.get('/app/settings')).html).to.contain(email);

      // The link works once, and no second setup link is issued while an account exists.
      const again = await new PageClient(suite.running.url).post('/setup', { token: url.searchParams.get('token')!, workspace_name: 'Evil', email: uniqueEmail(), password: TEST_PASSWORD });
      expect(again.status).to.equal(400);
      expect(again.html).to.contain('already used');
      expect(await suite.running.service.accounts.setupLinkIfNeeded()).to.equal(null);
      expect((await new PageClient(suite.running.url).get('/')).location).to.equal('/login');
    });

    it('refuses a short password on the setup page and keeps what was typed', async () => {
      const url = new URL((await suite.running.service.accounts.setupLinkIfNeeded())!);
      const client = new PageClient(suite.running.url);
      const refused = await client.post('/setup', { token: url.searchParams.get('token')!, workspace_name: 'Acme', email: 'me@example.com', password: 'short' });
      expect(refused.status).to.equal(400);
      expect(refused.html).to.contain('at least 12 characters').and.to.contain('value="me@example.com"');
      expect(await testDatabase().db('users').first()).to.equal(undefined);
    });

    it('answers a setup page without a valid token with a page that says what to do', async () => {
      const page = await new PageClient(suite.running.url).get('/setup?token=forged');
      expect(page.status).to.equal(400);
      expect(page.html).to.contain('not valid');
    });
  });

  // Every request of the suite comes from 127.0.0.1: each test starts with no failed sign-ins counted against it.
  beforeEach(() => testDatabase().db('sign_in_failures').delete());

  describe('signing in and out', () => {
    it('signs in with email and password, sets a HttpOnly SameSite=Lax session cookie, and signs out', async () => {
      const user = await dashboardUser(suite.running);
      const client = new PageClient(suite.running.url);
      const form = await client.get('/login');
      expect(form.html).to.contain('Sign in');
      const signedIn = await client.post('/login', { email: user.email.toUpperCase(), password: TEST_PASSWORD });
      expect(signedIn.status).to.equal(303);
      const cookie = signedIn.headers.getSetCookie().find((header) => header.startsWith('syx_session='))!;
      expect(cookie).to.match(/HttpOnly/).and.to.match(/SameSite=Lax/).and.not.to.match(/Secure/);
      expect((await client.get('/app')).status).to.equal(200);

      const out = await client.post('/logout');
      expect(out.status).to.equal(303);
      const after = await client.get('/app/campaigns');
      expect(after.status).to.equal(303);
      expect(after.location).to.equal('/login?next=%2Fapp%2Fcampaigns');
    });

    it('ends the session in the database at sign-out: the old cookie no longer works', async () => {
      const user = await dashboardUser(suite.running);
      const stolen = new PageClient(suite.running.url);
      stolen.cookies.set('syx_session', user.client.cookies.get('syx_session')!);
      expect((await stolen.get('/app')).status).to.equal(200);
      await user.client.post('/logout');
      expect((await stolen.get('/app')).status).to.equal(303);
    });

    it('says the same for an unknown email and a wrong password', async () => {
      const user = await dashboardUser(suite.running);
      const wrong = await new PageClient(suite.running.url).post('/login', { email: user.email, password: 'not the password at all' });
      const unknown = await new PageClient(suite.running.url).post('/login', { email: uniqueEmail(), password: TEST_PASSWORD });
      expect(wrong.status).to.equal(401);
      expect(unknown.status).to.equal(401);
      expect(wrong.html).to.contain('do not match an account');
      expect(unknown.html).to.contain('do not match an account');
    });

    it('throttles after ten failures for one email within 15 minutes: 429 with Retry-After, even with the right password', async () => {
      const user = await dashboardUser(suite.running);
      const client = new PageClient(suite.running.url);
      for (let attempt = 0; attempt < 10; attempt++) {
        expect((await client.post('/login', { email: user.email, password: `wrong password ${attempt}` })).status).to.equal(401);
      }
      const throttled = await client.post('/login', { email: user.email, password: TEST_PASSWORD });
      expect(throttled.status).to.equal(429);
      expect(Number(throttled.headers.get('retry-after'))).to.be.within(1, 900);
      expect(throttled.html).to.contain('Too many failed sign-ins');
    });

    it('throttles one address trying many emails', async () => {
      const client = new PageClient(suite.running.url);
      const ip = { 'x-forwarded-for': '203.0.113.9' };
      for (let attempt = 0; attempt < 10; attempt++) await client.post('/login', { email: uniqueEmail(), password: 'wrong password!' }, ip);
      const throttled = await client.post('/login', { email: uniqueEmail(), password: 'wrong password!' });
      // Without a trusted proxy every request here comes from 127.0.0.1: the address is the socket's.
      expect(throttled.status).to.equal(429);
    });

    it('sends a signed-in person back to where they were going, and only to a path of this service', async () => {
      const user = await dashboardUser(suite.running);
      const client = new PageClient(suite.running.url);
      expect((await client.post('/login', { email: user.email, password: TEST_PASSWORD, next: '/app/settings' })).location).to.equal('/app/settings');
      const other = new PageClient(suite.running.url);
      expect((await other.post('/login', { email: user.email, password: TEST_PASSWORD, next: '//evil.example/' })).location).to.equal('/app');
    });
  });

  describe('sessions', () => {
    it('expire after 14 days without a request', async () => {
      const user = await dashboardUser(suite.running);
      await testDatabase().db('sessions').whereIn('user_id', testDatabase().db('users').select('id').where({ email: user.email })).update({ last_seen_at: new Date(Date.now() - 15 * 86_400_000) });
      expect((await user.client.get('/app')).status).to.equal(303);
    });

    it('all end when the password changes, except the browser that changed it (which gets a new one)', async () => {
      const user = await dashboardUser(suite.running);
      const other = new PageClient(suite.running.url);
      await other.post('/login', { email: user.email, password: TEST_PASSWORD });
      expect((await other.get('/app')).status).to.equal(200);

      await user.client.get('/app/settings');
      const changed = await user.client.post('/app/settings/password', { current_password: TEST_PASSWORD, new_password: 'a brand new password 42' });
      expect(changed.status).to.equal(303);
      expect((await user.client.get('/app')).status).to.equal(200);
      expect((await other.get('/app')).status).to.equal(303);
      expect((await new PageClient(suite.running.url).post('/login', { email: user.email, password: TEST_PASSWORD })).status).to.equal(401);
    });
  });

  describe('the CLI-made account', () => {
    it('gets a one-time link that sets its password and signs in; the link then stops working', async () => {
      const api = suite.api;
      const workspace = await api.workspace('CLI workspace');
      const email = uniqueEmail('cli');
      const { password_link: link } = await suite.running.service.accounts.createUser(email, workspace.id);
      const url = new URL(link);
      const client = new PageClient(suite.running.url);
      expect((await client.get(`${url.pathname}${url.search}`)).html).to.contain('Choose your password');
      expect((await client.post('/password/set', { token: url.searchParams.get('token')!, password: TEST_PASSWORD })).status).to.equal(303);
      expect((await client.get('/app')).html).to.contain('CLI workspace');
      const reused = await new PageClient(suite.running.url).post('/password/set', { token: url.searchParams.get('token')!, password: 'another password 1234' });
      expect(reused.status).to.equal(400);
    });
  });
});
