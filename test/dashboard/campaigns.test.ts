import { expect } from 'chai';
import { useService } from '../support/service.js';
import { dashboardUser, type DashboardUser } from '../support/dashboard.js';
import { click } from '../support/webhooks.js';
import type { Api } from '../support/http.js';

/** How the page renderer writes a value into HTML: `&`, `<` and `"` escaped. */
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
/** The id of the campaign a create form redirected to. */
const campaignIdOf = (location: string | null) => /^\/app\/campaigns\/(cmp_[0-9A-Z]{26})/.exec(location ?? '')![1];

/** A click on a link, once the click writer's batch holds it (pages count what is written). */
async function clickWritten(api: Api, key: string, link: { id: string; slug: string }): Promise<string> {
  const clickId = await click(api, link.slug);
  for (let attempt = 0; attempt < 100 && (await api.get(`/api/links/${link.id}`, { key })).body.clicks === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
  return clickId;
}

describe('Dashboard campaigns', () => {
  const suite = useService();
  const api = () => suite.api;
  const campaignOf = async (user: DashboardUser, id: string) => (await api().get(`/api/campaigns/${id}`, { key: user.key })).body;

  describe('the list and the create form', () => {
    it('teaches what a campaign is when there is none, and creates one from the form', async () => {
      const user = await dashboardUser(suite.running);
      const empty = await user.client.get('/app/campaigns');
      expect(empty.status).to.equal(200);
      expect(empty.html).to.contain('No campaigns yet').and.to.contain('A campaign is one thing you promote');
      for (const label of ['>Name</label>', '>Destination URL</label>', '>Coupon codes</label>', '>Create campaign</button>']) expect(empty.html).to.contain(label);
      expect(empty.html).to.contain('Separate codes with commas or spaces');

      const created = await user.client.post('/app/campaigns', { name: 'Spring launch', destination_url: 'https://shop.example.com/pricing', coupon_codes: 'SPRING10, spring20  VIP' });
      expect(created.status).to.equal(303);
      const id = campaignIdOf(created.location);
      expect(await campaignOf(user, id)).to.deep.include({ name: 'Spring launch', destination_url: 'https://shop.example.com/pricing', coupon_codes: ['SPRING10', 'spring20', 'VIP'] });

      const page = await user.client.get(created.location!);
      expect(page.status).to.equal(200);
      expect(page.html).to.contain('Campaign “Spring launch” created').and.to.contain('>Create link</button>');
      const list = await user.client.get('/app/campaigns');
      expect(list.html).to.contain(`href="/app/campaigns/${id}"`).and.to.contain('<code>SPRING10</code>').and.to.contain('https://shop.example.com/pricing');
      expect(list.html).to.match(/<th scope="col"[^>]*>Campaign<\/th>/);
    });

    it('re-renders a refused form with each problem next to its field and what was typed (400), and a taken code as 409', async () => {
      const user = await dashboardUser(suite.running);
      const refused = await user.client.post('/app/campaigns', { name: 'Summer', destination_url: 'not a url', coupon_codes: 'OK1 bad!code' });
      expect(refused.status).to.equal(400);
      expect(refused.html).to.match(/id="field-destination_url-error"[^>]*>Must be an absolute http\(s\) URL/);
      expect(refused.html).to.match(/id="field-coupon_codes-error"[^>]*>Must match pattern/);
      expect(refused.html).to.contain('aria-invalid="true"').and.to.contain('value="Summer"').and.to.contain('value="not a url"').and.to.contain('value="OK1 bad!code"');

      await api().campaign(user.key, { coupon_codes: ['TAKEN'] });
      const taken = await user.client.post('/app/campaigns', { name: 'Autumn', destination_url: '', coupon_codes: 'taken' });
      expect(taken.status).to.equal(409);
      expect(taken.html).to.contain('already belongs to another campaign').and.to.contain('value="Autumn"');
      const names = (await api().get('/api/campaigns?limit=200', { key: user.key })).body.data.map((campaign: { name: string }) => campaign.name);
      expect(names).to.deep.equal(['Spring launch']);
    });

    it('shows each campaign\'s clicks, conversions and net, and archived campaigns only when asked, marked', async () => {
      const user = await dashboardUser(suite.running);
      const campaign = await api().campaign(user.key, { name: 'Newsletter' });
      const link = await api().link(user.key, campaign.id);
      const clickId = await clickWritten(api(), user.key, link);
      expect((await api().post('/api/conversions', { click_id: clickId, order_id: 'o-1', amount: 14999, currency: 'USD' }, { key: user.key })).status).to.equal(201);
      const archived = await api().campaign(user.key, { name: 'Old promo' });
      await api().delete(`/api/campaigns/${archived.id}`, { key: user.key });

      const list = await user.client.get('/app/campaigns');
      const row = list.html.slice(list.html.indexOf(`/app/campaigns/${campaign.id}`)).split('</tr>')[0];
      expect(row).to.contain('>1</td>').and.to.contain('$149.99');
      expect(list.html).not.to.contain('Old promo');
      const all = await user.client.get('/app/campaigns?include_archived=true');
      expect(all.html).to.contain('Old promo').and.to.contain('badge archived');
    });
  });

  describe('a campaign\'s page', () => {
    it('edits the name, coupon codes and destination, and refuses to remove a destination its links need (409, unchanged)', async () => {
      const user = await dashboardUser(suite.running);
      const campaign = await api().campaign(user.key, { coupon_codes: ['ONE'] });
      const page = await user.client.get(`/app/campaigns/${campaign.id}`);
      expect(page.html).to.contain('>Save campaign</button>').and.to.contain('value="ONE"');

      const saved = await user.client.post(`/app/campaigns/${campaign.id}`, { name: 'Renamed', destination_url: 'https://shop.example.com/new', coupon_codes: 'TWO,THREE' });
      expect(saved.status).to.equal(303);
      expect(await campaignOf(user, campaign.id)).to.deep.include({ name: 'Renamed', destination_url: 'https://shop.example.com/new', coupon_codes: ['TWO', 'THREE'] });

      await api().link(user.key, campaign.id);
      const refused = await user.client.post(`/app/campaigns/${campaign.id}`, { name: 'No destination', destination_url: '', coupon_codes: 'TWO' });
      expect(refused.status).to.equal(409);
      expect(refused.html).to.contain('Links of this campaign use its destination_url').and.to.contain('value="No destination"').and.to.contain('href="#settings"');
      expect(await campaignOf(user, campaign.id)).to.deep.include({ name: 'Renamed', destination_url: 'https://shop.example.com/new' });
    });

    it('saves a day\'s spend in major units, lists the last 30 days, removes it with 0, and refuses an amount it cannot read', async () => {
      const user = await dashboardUser(suite.running);
      const campaign = await api().campaign(user.key);
      const page = await user.client.get(`/app/campaigns/${campaign.id}`);
      const today = /name="date" type="date" value="(\d{4}-\d{2}-\d{2})"/.exec(page.html)![1];
      expect(page.html).to.contain('No spend entered for the last 30 days');

      expect((await user.client.post(`/app/campaigns/${campaign.id}/spend`, { date: today, amount: '12.50', currency: 'usd' })).status).to.equal(303);
      expect((await user.client.post(`/app/campaigns/${campaign.id}/spend`, { date: today, amount: '1250', currency: 'JPY' })).status).to.equal(303);
      const spend = async () => (await api().get(`/api/campaigns/${campaign.id}/spend`, { key: user.key })).body;
      expect(await spend()).to.deep.equal([{ date: today, amount: 1250, currency: 'JPY' }, { date: today, amount: 1250, currency: 'USD' }]);
      const listed = await user.client.get(`/app/campaigns/${campaign.id}`);
      expect(listed.html).to.contain('$12.50').and.to.contain('¥1,250').and.to.contain(`Spend for ${today} saved.`);

      const refused = await user.client.post(`/app/campaigns/${campaign.id}/spend`, { date: 'yesterday', amount: '12.345', currency: 'usd' });
      expect(refused.status).to.equal(400);
      expect(refused.html).to.match(/id="field-amount-error"[^>]*>Must be an amount like 12.50, with at most 2 decimals/);
      expect(refused.html).to.match(/id="field-date-error"[^>]*>Must be a date, YYYY-MM-DD/);
      expect(refused.html).to.contain('value="12.345"').and.to.contain('value="yesterday"').and.to.contain('href="#spend"');

      expect((await user.client.post(`/app/campaigns/${campaign.id}/spend`, { date: today, amount: '0', currency: 'USD' })).status).to.equal(303);
      expect(await spend()).to.deep.equal([{ date: today, amount: 1250, currency: 'JPY' }]);
    });

    it('creates links, shows each with a copy button and its numbers, and refuses a taken or malformed slug', async () => {
      const user = await dashboardUser(suite.running);
      const campaign = await api().campaign(user.key, { destination_url: null });
      const needsDestination = await user.client.post(`/app/campaigns/${campaign.id}/links`, { slug: '', link_destination_url: '' });
      expect(needsDestination.status).to.equal(400);
      expect(needsDestination.html).to.match(/id="field-link_destination_url-error"[^>]*>Is required when the campaign has no destination_url/);

      const created = await user.client.post(`/app/campaigns/${campaign.id}/links`, { slug: 'spring-ig', link_destination_url: 'https://shop.example.com/ig' });
      expect(created.status).to.equal(303);
      const [link] = (await api().get(`/api/links?campaign_id=${campaign.id}`, { key: user.key })).body.data;
      expect(link).to.include({ slug: 'spring-ig', destination_url: 'https://shop.example.com/ig' });
      const clickId = await clickWritten(api(), user.key, link);
      await api().post('/api/conversions', { click_id: clickId, order_id: 'o-link', amount: 2500, currency: 'EUR' }, { key: user.key });

      const page = await user.client.get(`/app/campaigns/${campaign.id}`);
      expect(page.html).to.contain(`<code id="url-${link.id}">${link.url}</code>`).and.to.contain(`data-copy="url-${link.id}"`).and.to.contain(`aria-label="Copy tracked link ${link.url}"`);
      const row = page.html.slice(page.html.indexOf(`<code id="url-${link.id}">`)).split('</tr>')[0];
      expect(row).to.contain('€25.00').and.to.contain('>1</td>');
      expect(page.html).to.match(/<th scope="col"[^>]*>Tracked link<\/th>/);

      const taken = await user.client.post(`/app/campaigns/${campaign.id}/links`, { slug: 'spring-ig', link_destination_url: 'https://shop.example.com/x' });
      expect(taken.status).to.equal(409);
      expect(taken.html).to.contain(escaped('The slug "spring-ig" is already taken')).and.to.contain('value="https://shop.example.com/x"');
      const malformed = await user.client.post(`/app/campaigns/${campaign.id}/links`, { slug: 'no spaces', link_destination_url: 'https://shop.example.com/x' });
      expect(malformed.status).to.equal(400);
      expect(malformed.html).to.match(/id="field-slug-error"/);
      expect((await api().get(`/api/links?campaign_id=${campaign.id}`, { key: user.key })).body.data).to.have.length(1);
    });

    it('archives a link and the campaign after a confirmation page that works without a script', async () => {
      const user = await dashboardUser(suite.running);
      const campaign = await api().campaign(user.key, { coupon_codes: ['GONE'] });
      const link = await api().link(user.key, campaign.id);

      const confirmLink = await user.client.get(`/app/campaigns/${campaign.id}/links/${link.id}/archive`);
      expect(confirmLink.status).to.equal(200);
      expect(confirmLink.html).to.contain(`action="/app/campaigns/${campaign.id}/links/${link.id}/archive"`).and.to.contain('>Archive link</button>');
      expect((await api().get(`/api/links/${link.id}`, { key: user.key })).body.archived_at).to.equal(null);
      expect((await user.client.post(`/app/campaigns/${campaign.id}/links/${link.id}/archive`)).status).to.equal(303);
      expect((await api().get(`/api/links/${link.id}`, { key: user.key })).body.archived_at).to.be.a('string');

      const page = await user.client.get(`/app/campaigns/${campaign.id}`);
      expect(page.html).to.contain(`href="/app/campaigns/${campaign.id}/archive"`);
      const confirm = await user.client.get(`/app/campaigns/${campaign.id}/archive`);
      expect(confirm.html).to.contain('>Archive campaign</button>').and.to.contain('GONE').and.to.contain('Cancel');
      expect((await campaignOf(user, campaign.id)).archived_at).to.equal(null);
      const archived = await user.client.post(`/app/campaigns/${campaign.id}/archive`);
      expect(archived.status).to.equal(303);
      expect(archived.location).to.equal('/app/campaigns');
      expect(await campaignOf(user, campaign.id)).to.deep.include({ coupon_codes: [] }).and.to.have.property('archived_at').that.is.a('string');
      const after = await user.client.get(`/app/campaigns/${campaign.id}`);
      expect(after.html).to.contain('This campaign is archived').and.not.to.contain('>Create link</button>');
    });
  });

  describe('safety', () => {
    it('renders every text a person can set inert: names, destinations, and refused slugs and codes', async () => {
      const user = await dashboardUser(suite.running);
      const name = '<script>alert(1)</script>';
      const destination = 'https://shop.example.com/?q="><img/src=x/onerror=alert(1)>';
      const campaign = await api().campaign(user.key, { name, destination_url: destination });
      const link = await api().link(user.key, campaign.id, { destination_url: `${destination}&link=1` });
      const payload = '"><img src=x onerror=alert(1)>';
      // Slugs and coupon codes are letters, digits, - and _: the API refuses markup, so only a refused form echoes it.
      expect((await api().post('/api/links', { campaign_id: campaign.id, slug: payload }, { key: user.key })).status).to.equal(400);

      const pages = [
        await user.client.get('/app/campaigns'),
        await user.client.get(`/app/campaigns/${campaign.id}`),
        await user.client.get(`/app/campaigns/${campaign.id}/archive`),
        await user.client.get(`/app/campaigns/${campaign.id}/links/${link.id}/archive`),
        await user.client.get('/app/conversions'),
        await user.client.post(`/app/campaigns/${campaign.id}/links`, { slug: payload, link_destination_url: payload }),
        await user.client.post('/app/campaigns', { name: payload, destination_url: payload, coupon_codes: payload }),
        await user.client.post(`/app/campaigns/${campaign.id}`, { name: payload, destination_url: destination, coupon_codes: payload }),
      ];
      for (const page of pages) {
        expect(page.html).not.to.contain('<script>alert').and.not.to.contain('<img');
        expect(page.html).not.to.match(/<script(?![^>]*\bsrc=)/);
      }
      expect(pages[0].html).to.contain(escaped(name)).and.to.contain(escaped(destination));
      expect(pages[1].html).to.contain(`<title>${escaped(name)} · Synaptyx</title>`).and.to.contain(escaped(`${destination}&link=1`));
      expect(pages[4].html).to.contain(escaped(name));
      expect(pages[5].status).to.equal(400);
      expect(pages[5].html).to.contain(`value="${escaped(payload)}"`);
      expect(pages[6].html).to.contain(`value="${escaped(payload)}"`);
      expect(pages[7].status).to.equal(400);
    });

    it('another workspace\'s person can neither read nor change a campaign by URL or form (404, nothing changed)', async () => {
      const owner = await dashboardUser(suite.running);
      const stranger = await dashboardUser(suite.running, { name: 'stranger' });
      const campaign = await api().campaign(owner.key, { name: 'Private', coupon_codes: ['MINE'] });
      const link = await api().link(owner.key, campaign.id);
      const before = await campaignOf(owner, campaign.id);

      for (const path of [`/app/campaigns/${campaign.id}`, `/app/campaigns/${campaign.id}/archive`, `/app/campaigns/${campaign.id}/links/${link.id}/archive`]) {
        const page = await stranger.client.get(path);
        expect(page.status, path).to.equal(404);
        expect(page.html, path).not.to.contain('Private');
      }
      const attempts: [string, Record<string, string>][] = [
        [`/app/campaigns/${campaign.id}`, { name: 'Stolen', destination_url: 'https://evil.example.com/', coupon_codes: '' }],
        [`/app/campaigns/${campaign.id}/spend`, { date: '2026-01-05', amount: '99', currency: 'USD' }],
        [`/app/campaigns/${campaign.id}/links`, { slug: 'stolen', link_destination_url: 'https://evil.example.com/' }],
        [`/app/campaigns/${campaign.id}/links/${link.id}/archive`, {}],
        [`/app/campaigns/${campaign.id}/archive`, {}],
      ];
      for (const [path, fields] of attempts) expect((await stranger.client.post(path, fields)).status, path).to.equal(404);
      // Their own campaign's form, naming the owner's link: still not found.
      const own = await api().campaign(stranger.key);
      expect((await stranger.client.post(`/app/campaigns/${own.id}/links/${link.id}/archive`)).status).to.equal(404);

      expect(await campaignOf(owner, campaign.id)).to.deep.equal(before);
      expect((await api().get(`/api/campaigns/${campaign.id}/spend`, { key: owner.key })).body).to.deep.equal([]);
      expect((await api().get(`/api/links?campaign_id=${campaign.id}`, { key: owner.key })).body.data.map((l: { id: string; archived_at: string | null }) => [l.id, l.archived_at])).to.deep.equal([[link.id, null]]);
    });

    it('refuses a form without the CSRF token or from another site (403) and changes nothing', async () => {
      const user = await dashboardUser(suite.running);
      const campaign = await api().campaign(user.key, { name: 'Kept' });
      const withoutToken = await user.client.post(`/app/campaigns/${campaign.id}`, { _csrf: null, name: 'Changed', destination_url: '', coupon_codes: '' });
      expect(withoutToken.status).to.equal(403);
      const archive = await user.client.post(`/app/campaigns/${campaign.id}/archive`, { _csrf: 'x'.repeat(43) });
      expect(archive.status).to.equal(403);
      const crossSite = await user.client.post('/app/campaigns', { name: 'Planted', destination_url: '', coupon_codes: '' }, { origin: 'https://evil.example.com' });
      expect(crossSite.status).to.equal(403);
      expect(await campaignOf(user, campaign.id)).to.deep.include({ name: 'Kept', archived_at: null });
      expect((await api().get('/api/campaigns?limit=200', { key: user.key })).body.data).to.have.length(1);
    });
  });
});
