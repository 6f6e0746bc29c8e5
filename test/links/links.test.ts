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

  it('takes a chosen slug and its own destination', async () => {
    const { key } = await suite.api.workspace();
    const campaign = await suite.api.campaign(key);
    const slug = `spring-${Date.now()}`;
    const reply = await suite.api.post('/api/links', { campaign_id: campaign.id, slug, destination_url: 'https://shop.example.com/sale?src=mail' }, { key });
    expect(reply.status).to.equal(201);
    expect(reply.body).to.include({ slug, url: `https://go.example.com/c/${slug}`, destination_url: 'https://shop.example.com/sale?src=mail', clicks: 0 });
    expect(reply.body.id).to.match(/^lnk_[0-9A-Z]{26}$/);
    expect(new Date(reply.body.created_at).toISOString()).to.equal(reply.body.created_at);
    expect((await suite.api.get(`/api/links/${reply.body.id}`, { key })).body).to.deep.equal(reply.body);
    expect((await visit(slug)).headers.get('location')).to.match(/^https:\/\/shop\.example\.com\/sale\?src=mail&clickid=/);
  });

  it('validates bodies and query parameters', async () => {
    const { key } = await suite.api.workspace();
    const campaign = await suite.api.campaign(key);
    const bad = await suite.api.post('/api/links', { campaign_id: campaign.id, slug: 'has space', colour: 'red' }, { key });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.map((d: { pointer: string }) => d.pointer)).to.have.members(['/slug', '/colour']);
    expect((await suite.api.post('/api/links', {}, { key })).body.error.details[0].pointer).to.equal('/campaign_id');
    for (const query of ['limit=0', 'limit=201', 'campaign_id=nope', 'cursor=nope', 'colour=red']) {
      expect((await suite.api.get(`/api/links?${query}`, { key })).status, query).to.equal(400);
    }
    expect((await suite.api.get('/api/links?limit=200', { key })).status).to.equal(200);
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
    expect(rest.body.next_cursor).to.equal(null);
    const stranger = await suite.api.workspace();
    expect((await suite.api.get(`/api/links?campaign_id=${a.id}`, { key: stranger.key })).body.data).to.deep.equal([]);
  });

  it('counts human clicks per link', async () => {
    const { key } = await suite.api.workspace();
    const campaign = await suite.api.campaign(key);
    const [busy, quiet] = [await suite.api.link(key, campaign.id), await suite.api.link(key, campaign.id)];
    for (let i = 0; i < 3; i++) await visit(busy.slug);
    await suite.api.get(`/c/${quiet.slug}`, { headers: { 'user-agent': 'Googlebot/2.1' } });
    await suite.running.service.clickWriter.flush();
    expect((await suite.api.get(`/api/links/${busy.id}`, { key })).body.clicks).to.equal(3);
    const listed = await suite.api.get(`/api/links?campaign_id=${campaign.id}`, { key });
    expect(listed.body.data.map((l: { id: string; clicks: number }) => [l.id, l.clicks])).to.deep.equal([[quiet.id, 0], [busy.id, 3]]);
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

  it('a slug that answered 404 redirects as soon as a link takes it, by creation or by rename', async () => {
    const { key } = await suite.api.workspace();
    const campaign = await suite.api.campaign(key);
    const fresh = `fresh-${Date.now()}`;
    expect((await visit(fresh)).status).to.equal(404);
    await suite.api.link(key, campaign.id, { slug: fresh });
    expect((await visit(fresh)).status).to.equal(302);

    const link = await suite.api.link(key, campaign.id);
    const renamed = `renamed-${Date.now()}`;
    expect((await visit(renamed)).status).to.equal(404);
    await suite.api.patch(`/api/links/${link.id}`, { slug: renamed }, { key });
    expect((await visit(renamed)).status).to.equal(302);
  });

  it('refuses a rename to a taken slug and keeps the link as it was', async () => {
    const { key } = await suite.api.workspace();
    const campaign = await suite.api.campaign(key);
    const [first, second] = [await suite.api.link(key, campaign.id), await suite.api.link(key, campaign.id)];
    const reply = await suite.api.patch(`/api/links/${second.id}`, { slug: first.slug }, { key });
    expect(reply.status).to.equal(409);
    expect(reply.body.error.code).to.equal('conflict');
    expect((await suite.api.get(`/api/links/${second.id}`, { key })).body.slug).to.equal(second.slug);
    expect((await visit(second.slug)).status).to.equal(302);
  });

  it('a link without its own destination follows its campaign again', async () => {
    const { key } = await suite.api.workspace();
    const campaign = await suite.api.campaign(key);
    const link = await suite.api.link(key, campaign.id, { destination_url: 'https://shop.example.com/own' });
    expect((await visit(link.slug)).headers.get('location')).to.match(/\/own\?clickid=/);
    const reset = await suite.api.patch(`/api/links/${link.id}`, { destination_url: null }, { key });
    expect(reset.body.destination_url).to.equal(campaign.destination_url);
    expect((await visit(link.slug)).headers.get('location')).to.match(/\/pricing\?clickid=/);
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
