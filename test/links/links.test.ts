import { expect } from 'chai';
import { useService } from '../support/service.js';
import { Api, BROWSER_UA } from '../support/http.js';

describe('tracked links', () => {
  const suite = useService({ SYX_PUBLIC_URL: 'https://go.example.com' });

  const visit = (slug: string) => suite.api.get(`/c/${slug}`, { headers: { 'user-agent': BROWSER_UA } });

  it('creates a link with a generated slug and its public URL, following the campaign destination', async () => {
    const { key } = await suite.api.workspace();
    const campaign = await suite.api.campaign(key);
    const reply = await suite.api.post('/api/links', { campaign_id: campaign.id }, { key });
    expect(reply.status).to.equal(201);
    expect(reply.body).to.include({ campaign_id: campaign.id, destination_url: campaign.destination_url, clicks: 0, archived_at: null });
    expect(reply.body.slug).to.match(/^[A-Za-z0-9_-]{8}$/);
    expect(reply.body.url).to.equal(`https://go.example.com/c/${reply.body.slug}`);
  });

  it('needs an absolute http(s) destination of its own or from its campaign', async () => {
    const { key } = await suite.api.workspace();
    const bare = await suite.api.campaign(key, { destination_url: null });
    const none = await suite.api.post('/api/links', { campaign_id: bare.id }, { key });
    expect(none.status).to.equal(400);
    expect(none.body.error.details[0].pointer).to.equal('/destination_url');
    for (const destination of ['javascript:alert(1)', 'ftp://files.example.com/x', '/relative/path', 'https://']) {
      const reply = await suite.api.post('/api/links', { campaign_id: bare.id, destination_url: destination }, { key });
      expect(reply.status, destination).to.equal(400);
    }
    const own = await suite.api.post('/api/links', { campaign_id: bare.id, destination_url: 'http://shop.example.com/a' }, { key });
    expect(own.status).to.equal(201);
  });

  it('keeps slugs globally unique: a taken one is a 409, even in another workspace', async () => {
    const mine = await suite.api.workspace();
    const theirs = await suite.api.workspace();
    const slug = `launch-${Date.now()}`;
    await suite.api.link(mine.key, (await suite.api.campaign(mine.key)).id, { slug });
    const reply = await suite.api.post('/api/links', { campaign_id: (await suite.api.campaign(theirs.key)).id, slug }, { key: theirs.key });
    expect(reply.status).to.equal(409);
    expect(reply.body.error.message).to.contain(slug);
  });

  it("refuses a link in another workspace's campaign (404) or an archived campaign (409)", async () => {
    const mine = await suite.api.workspace();
    const theirs = await suite.api.workspace();
    const foreign = await suite.api.campaign(theirs.key);
    expect((await suite.api.post('/api/links', { campaign_id: foreign.id }, { key: mine.key })).status).to.equal(404);
    const archived = await suite.api.campaign(mine.key);
    await suite.api.delete(`/api/campaigns/${archived.id}`, { key: mine.key });
    expect((await suite.api.post('/api/links', { campaign_id: archived.id }, { key: mine.key })).status).to.equal(409);
  });

  it('lists links by campaign and pages them', async () => {
    const { key } = await suite.api.workspace();
    const a = await suite.api.campaign(key);
    const b = await suite.api.campaign(key);
    const links = [await suite.api.link(key, a.id), await suite.api.link(key, a.id), await suite.api.link(key, b.id)];
    const ofA = await suite.api.get(`/api/links?campaign_id=${a.id}`, { key });
    expect(ofA.body.data.map((l: { id: string }) => l.id)).to.deep.equal([links[1].id, links[0].id]);
    const page = await suite.api.get('/api/links?limit=2', { key });
    expect(page.body.data).to.have.length(2);
    const rest = await suite.api.get(`/api/links?limit=2&cursor=${page.body.next_cursor}`, { key });
    expect(rest.body.data.map((l: { id: string }) => l.id)).to.deep.equal([links[0].id]);
  });

  it('a destination change takes effect on the next click; a slug change retires the old slug', async () => {
    const { key } = await suite.api.workspace();
    const link = await suite.api.link(key, (await suite.api.campaign(key)).id);
    expect((await visit(link.slug)).headers.get('location')).to.match(/^https:\/\/shop\.example\.com\/pricing\?clickid=/);
    await suite.api.patch(`/api/links/${link.id}`, { destination_url: 'https://shop.example.com/new' }, { key });
    expect((await visit(link.slug)).headers.get('location')).to.match(/^https:\/\/shop\.example\.com\/new\?clickid=/);
    const renamed = await suite.api.patch(`/api/links/${link.id}`, { slug: `${link.slug}-v2` }, { key });
    expect(renamed.body.url).to.equal(`https://go.example.com/c/${link.slug}-v2`);
    expect((await visit(link.slug)).status).to.equal(404);
    expect((await visit(`${link.slug}-v2`)).status).to.equal(302);
  });

  it('a campaign destination change reaches its links at once', async () => {
    const { key } = await suite.api.workspace();
    const campaign = await suite.api.campaign(key);
    const link = await suite.api.link(key, campaign.id);
    await visit(link.slug);
    await suite.api.patch(`/api/campaigns/${campaign.id}`, { destination_url: 'https://shop.example.com/spring' }, { key });
    expect((await visit(link.slug)).headers.get('location')).to.match(/^https:\/\/shop\.example\.com\/spring\?clickid=/);
    expect((await suite.api.patch(`/api/campaigns/${campaign.id}`, { destination_url: null }, { key })).status).to.equal(409);
  });

  it('archives a link (410 from then on) and an archived campaign retires its links', async () => {
    const { key } = await suite.api.workspace();
    const campaign = await suite.api.campaign(key);
    const [first, second] = [await suite.api.link(key, campaign.id), await suite.api.link(key, campaign.id)];
    await visit(first.slug);
    const archived = await suite.api.delete(`/api/links/${first.id}`, { key });
    expect(archived.body.archived_at).to.be.a('string');
    expect((await visit(first.slug)).status).to.equal(410);
    await visit(second.slug);
    await suite.api.delete(`/api/campaigns/${campaign.id}`, { key });
    expect((await visit(second.slug)).status).to.equal(410);
  });

  it("answers 404 for another workspace's link", async () => {
    const { key } = await suite.api.workspace();
    const stranger = await suite.api.workspace();
    const link = await suite.api.link(key, (await suite.api.campaign(key)).id);
    expect((await suite.api.get(`/api/links/${link.id}`, { key: stranger.key })).status).to.equal(404);
    expect((await suite.api.patch(`/api/links/${link.id}`, { slug: 'stolen' }, { key: stranger.key })).status).to.equal(404);
    expect((await suite.api.delete(`/api/links/${link.id}`, { key: stranger.key })).status).to.equal(404);
    const theirCampaign = await suite.api.campaign(stranger.key);
    expect((await suite.api.patch(`/api/links/${link.id}`, { campaign_id: theirCampaign.id }, { key })).status).to.equal(404);
  });
});
