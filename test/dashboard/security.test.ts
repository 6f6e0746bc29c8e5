import { expect } from 'chai';
import { useService } from '../support/service.js';
import { dashboardUser, PageClient, TEST_PASSWORD } from '../support/dashboard.js';
import { testDatabase } from '../support/hooks.js';

const PAGES = ['/app', '/app/campaigns', '/app/sources', '/app/conversions', '/app/settings'];

describe('Dashboard security: headers, CSRF, sessions over https', () => {
  const suite = useService();
  beforeEach(() => testDatabase().db('sign_in_failures').delete());

  it('sends every page with a Content-Security-Policy that allows no inline script and no framing, and no inline script', async () => {
    const user = await dashboardUser(suite.running);
    for (const path of [...PAGES, '/login']) {
      const page = path === '/login' ? await new PageClient(suite.running.url).get(path) : await user.client.get(path);
      expect(page.status, path).to.equal(200);
      const policy = page.headers.get('content-security-policy')!;
      expect(policy, path).to.contain("script-src 'self'").and.to.contain("frame-ancestors 'none'").and.not.to.contain('unsafe-inline');
      expect(page.headers.get('x-frame-options'), path).to.equal('DENY');
      expect(page.headers.get('cache-control'), path).to.equal('no-store');
      // Every <script> names a file of the service; none carries code, and no element carries an event handler.
      for (const tag of page.html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) expect(tag, path).to.match(/^<script src="\/assets\/[^"]+"[^>]*><\/script>$/);
      expect(page.html, path).not.to.match(/\son[a-z]+=/i);
    }
  });

  it('refuses a form without the session\'s CSRF token, or with another session\'s, and changes nothing', async () => {
    const user = await dashboardUser(suite.running, { workspaceName: 'Unchanged' });
    const other = await dashboardUser(suite.running);
    const missing = await user.client.post('/app/settings/workspace', { _csrf: null, name: 'Hijacked', timezone: 'UTC', attribution_model: 'last_click' });
    expect(missing.status).to.equal(403);
    expect(missing.html).to.contain('nothing was changed');
    const foreign = await user.client.post('/app/settings/workspace', { _csrf: other.client.csrf, name: 'Hijacked', timezone: 'UTC', attribution_model: 'last_click' });
    expect(foreign.status).to.equal(403);
    expect((await suite.api.get('/api/workspace', { key: user.key })).body.name).to.equal('Unchanged');
  });

  it('refuses a form posted from another origin, even with the right token', async () => {
    const user = await dashboardUser(suite.running, { workspaceName: 'Unchanged' });
    const crossOrigin = await user.client.post('/app/settings/workspace', { name: 'Hijacked', timezone: 'UTC', attribution_model: 'last_click' }, { origin: 'https://evil.example' });
    expect(crossOrigin.status).to.equal(403);
    const crossSite = await user.client.post('/app/settings/workspace', { name: 'Hijacked', timezone: 'UTC', attribution_model: 'last_click' }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).to.equal(403);
    const login = await new PageClient(suite.running.url).post('/login', { email: user.email, password: TEST_PASSWORD }, { origin: 'https://evil.example' });
    expect(login.status).to.equal(403);
    expect(login.headers.getSetCookie().some((cookie) => cookie.startsWith('syx_session='))).to.equal(false);
    expect((await suite.api.get('/api/workspace', { key: user.key })).body.name).to.equal('Unchanged');
  });

  it('answers a JSON body posted to a page with 415 and a page, not a change', async () => {
    const user = await dashboardUser(suite.running);
    const cookie = [...user.client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const reply = await fetch(`${suite.running.url}/app/settings/workspace`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: suite.running.url }, body: JSON.stringify({ name: 'x' }) });
    expect(reply.status).to.equal(415);
    expect(reply.headers.get('content-type')).to.contain('text/html');
  });

  it('sends a person without a session to sign in from every page, and a signed-in person to a page for unknown addresses', async () => {
    const nobody = new PageClient(suite.running.url);
    for (const path of [...PAGES, '/app/nothing/here']) {
      const reply = await nobody.get(path);
      expect(reply.status, path).to.equal(303);
      expect(reply.location, path).to.match(/^\/login/);
    }
    const user = await dashboardUser(suite.running);
    const missing = await user.client.get('/app/nothing/here');
    expect(missing.status).to.equal(404);
    expect(missing.html).to.contain('Page not found');
  });

  it('keeps the JSON API on API keys: a session cookie opens no API route', async () => {
    const user = await dashboardUser(suite.running);
    const cookie = [...user.client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    expect((await suite.api.get('/api/campaigns', { headers: { cookie } })).status).to.equal(401);
    expect((await suite.api.get('/api/campaigns', { key: user.key })).status).to.equal(200);
  });

  describe('behind https', () => {
    const secure = useService({ SYX_PUBLIC_URL: 'https://track.example.com' });

    it('marks the session cookie Secure when the public URL is https', async () => {
      const user = await dashboardUser(secure.running);
      const client = new PageClient(secure.running.url);
      const signedIn = await client.post('/login', { email: user.email, password: TEST_PASSWORD }, { origin: 'https://track.example.com' });
      expect(signedIn.status).to.equal(303);
      const cookie = signedIn.headers.getSetCookie().find((header) => header.startsWith('syx_session='))!;
      expect(cookie).to.contain('HttpOnly').and.to.contain('SameSite=Lax').and.to.contain('Secure');
    });
  });
});
