import { expect } from 'chai';
import { useService } from '../support/service.js';
import { dashboardUser } from '../support/dashboard.js';
import { testDatabase } from '../support/hooks.js';
import { stripeSource } from '../support/webhooks.js';

const PAGES = ['/app', '/app/campaigns', '/app/sources', '/app/conversions', '/app/settings'];

describe('Dashboard warnings: a source that needs attention is named on every page', () => {
  const suite = useService();

  it('shows a failing source on every page, with what happened and a link to it; a healthy workspace shows no banner', async () => {
    const user = await dashboardUser(suite.running);
    const source = await stripeSource(suite.api, user.key, { name: 'Main <b>shop</b>' });
    for (const path of PAGES) expect((await user.client.get(path)).html, path).not.to.contain('need attention');

    await testDatabase().db('sources').where({ id: source.id }).update({ sync_error: 'Stripe refused the API key (invalid_api_key)', sync_error_at: new Date() });
    for (const path of PAGES) {
      const page = await user.client.get(path);
      expect(page.html, path).to.contain('aria-label="Revenue sources that need attention"');
      // The name as text: escaped, never markup.
      expect(page.html, path).to.contain('Main &lt;b>shop&lt;/b> is failing.').and.to.contain('Stripe refused the API key');
      expect(page.html, path).not.to.contain('<b>shop');
      expect(page.html, path).to.contain(`href="/app/sources/${source.id}"`);
    }
  });

  it('names missed webhooks and says to check the webhook URL', async () => {
    const user = await dashboardUser(suite.running);
    const source = await stripeSource(suite.api, user.key, { name: 'Quiet shop' });
    await testDatabase().db('sources').where({ id: source.id }).update({ missed_webhooks: 2, missed_webhooks_at: new Date() });
    const page = await user.client.get('/app');
    expect(page.html).to.contain('Quiet shop is failing.').and.to.contain('webhooks never arrived').and.to.contain('Check the webhook endpoint');
  });

  it('warns of a token about to expire, and never of another workspace\'s source', async () => {
    const user = await dashboardUser(suite.running);
    const other = await dashboardUser(suite.running);
    const source = await stripeSource(suite.api, user.key, { name: 'Expiring shop' });
    await testDatabase().db('sources').where({ id: source.id }).update({ mode: 'oauth', token_expires_at: new Date(Date.now() + 3_600_000) });
    expect((await user.client.get('/app')).html).to.contain('Expiring shop is expiring.');
    expect((await other.client.get('/app')).html).not.to.contain('Expiring shop');
  });
});
