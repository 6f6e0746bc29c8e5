import { expect } from 'chai';
import { useService } from '../support/service.js';
import { Api } from '../support/http.js';

describe('campaigns', () => {
  const suite = useService();

  it('creates, reads, updates and archives a campaign', async () => {
    const { key } = await suite.api.workspace();
    const created = await suite.api.post('/api/campaigns', { name: 'Spring', coupon_codes: ['SPRING20', 'Extra5'], destination_url: 'https://shop.example.com/' }, { key });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ name: 'Spring', destination_url: 'https://shop.example.com/', archived_at: null });
    expect(created.body.coupon_codes).to.deep.equal(['SPRING20', 'Extra5']);
    expect(created.body.id).to.match(/^cmp_[0-9A-Z]{26}$/);
    expect(new Date(created.body.created_at).toISOString()).to.equal(created.body.created_at);
    expect((await suite.api.get('/api/campaigns', { key })).body).to.deep.equal({ data: [created.body], next_cursor: null });

    const patched = await suite.api.patch(`/api/campaigns/${created.body.id}`, { name: 'Spring 2026', coupon_codes: ['SUMMER'] }, { key });
    expect(patched.status).to.equal(200);
    expect(patched.body).to.include({ name: 'Spring 2026' });
    expect(patched.body.coupon_codes).to.deep.equal(['SUMMER']);
    expect((await suite.api.get(`/api/campaigns/${created.body.id}`, { key })).body).to.deep.equal(patched.body);

    const archived = await suite.api.delete(`/api/campaigns/${created.body.id}`, { key });
    expect(archived.status).to.equal(200);
    expect(archived.body.archived_at).to.be.a('string');
    expect((await suite.api.get('/api/campaigns', { key })).body.data).to.deep.equal([]);
    expect((await suite.api.get('/api/campaigns?include_archived=true', { key })).body.data).to.have.length(1);
  });

  it('keeps coupon codes unique per workspace, ignoring case', async () => {
    const { key } = await suite.api.workspace();
    const other = await suite.api.workspace();
    await suite.api.campaign(key, { coupon_codes: ['SPRING20'] });
    const taken = await suite.api.post('/api/campaigns', { name: 'Copy', coupon_codes: ['spring20'] }, { key });
    expect(taken.status).to.equal(409);
    expect(taken.body.error.code).to.equal('conflict');
    expect(taken.body.error.message).to.contain('spring20'.toUpperCase());
    expect((await suite.api.post('/api/campaigns', { name: 'Theirs', coupon_codes: ['spring20'] }, { key: other.key })).status).to.equal(201);
    const twice = await suite.api.post('/api/campaigns', { name: 'Twice', coupon_codes: ['ABC', 'abc'] }, { key });
    expect(twice.status).to.equal(400);
    const second = await suite.api.campaign(key, { coupon_codes: ['AUTUMN'] });
    expect((await suite.api.patch(`/api/campaigns/${second.id}`, { coupon_codes: ['Spring20'] }, { key })).status).to.equal(409);
    expect((await suite.api.get(`/api/campaigns/${second.id}`, { key })).body.coupon_codes).to.deep.equal(['AUTUMN']);
  });

  it('frees a coupon code when its campaign lets go of it', async () => {
    const { key } = await suite.api.workspace();
    const first = await suite.api.campaign(key, { coupon_codes: ['BLACKFRIDAY'] });
    await suite.api.patch(`/api/campaigns/${first.id}`, { coupon_codes: ['blackfriday', 'CYBER'] }, { key });
    expect((await suite.api.get(`/api/campaigns/${first.id}`, { key })).body.coupon_codes).to.deep.equal(['blackfriday', 'CYBER']);
    await suite.api.patch(`/api/campaigns/${first.id}`, { coupon_codes: ['CYBER'] }, { key });
    const second = await suite.api.post('/api/campaigns', { name: 'Black Friday', coupon_codes: ['BlackFriday'] }, { key });
    expect(second.status).to.equal(201);
    expect(second.body.coupon_codes).to.deep.equal(['BlackFriday']);
  });

  it('gives a coupon code raced for by concurrent requests to exactly one campaign', async () => {
    const { key } = await suite.api.workspace();
    const replies = await Promise.all(
      ['RACE10', 'race10', 'Race10', 'RACE10'].map((code, i) => suite.api.post('/api/campaigns', { name: `Racer ${i}`, coupon_codes: [code] }, { key })),
    );
    expect(replies.map((reply) => reply.status).sort()).to.deep.equal([201, 409, 409, 409]);
    for (const reply of replies.filter((r) => r.status === 409)) expect(reply.body.error.code).to.equal('conflict');
    const listed = (await suite.api.get('/api/campaigns', { key })).body.data;
    expect(listed).to.have.length(1); // a refused campaign is not left behind without its code
    expect(listed[0].coupon_codes).to.have.length(1);
  });

  it('validates bodies and query parameters', async () => {
    const { key } = await suite.api.workspace();
    const bad = await suite.api.post('/api/campaigns', { name: 5, destination_url: 'javascript:alert(1)', coupon_codes: ['has space'], extra: true }, { key });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.map((d: { pointer: string }) => d.pointer)).to.include.members(['/name', '/destination_url', '/coupon_codes/0', '/extra']);
    for (const query of ['limit=0', 'limit=201', 'limit=abc', 'cursor=nope', 'colour=red']) {
      expect((await suite.api.get(`/api/campaigns?${query}`, { key })).status, query).to.equal(400);
    }
    expect((await suite.api.patch('/api/campaigns/cmp_bad', { name: 'x' }, { key })).status).to.equal(400);
    const created = await suite.api.campaign(key);
    expect((await suite.api.patch(`/api/campaigns/${created.id}`, {}, { key })).status).to.equal(400);
  });

  it('pages newest first with limit and cursor', async () => {
    const { key } = await suite.api.workspace();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await suite.api.campaign(key, { name: `C${i}` })).id);
    const first = await suite.api.get('/api/campaigns?limit=2', { key });
    expect(first.body.data.map((c: { id: string }) => c.id)).to.deep.equal([ids[4], ids[3]]);
    const second = await suite.api.get(`/api/campaigns?limit=2&cursor=${first.body.next_cursor}`, { key });
    expect(second.body.data.map((c: { id: string }) => c.id)).to.deep.equal([ids[2], ids[1]]);
    const third = await suite.api.get(`/api/campaigns?limit=2&cursor=${second.body.next_cursor}`, { key });
    expect(third.body.data.map((c: { id: string }) => c.id)).to.deep.equal([ids[0]]);
    expect(third.body.next_cursor).to.equal(null);
    expect((await suite.api.get('/api/campaigns', { key })).body.data).to.have.length(5);
  });

  it("answers 404 for another workspace's campaign, and shows it nothing", async () => {
    const { key } = await suite.api.workspace();
    const stranger = await suite.api.workspace();
    const campaign = await suite.api.campaign(key);
    expect((await suite.api.get(`/api/campaigns/${campaign.id}`, { key: stranger.key })).status).to.equal(404);
    expect((await suite.api.patch(`/api/campaigns/${campaign.id}`, { name: 'Mine' }, { key: stranger.key })).status).to.equal(404);
    expect((await suite.api.delete(`/api/campaigns/${campaign.id}`, { key: stranger.key })).status).to.equal(404);
    expect((await suite.api.get('/api/campaigns', { key: stranger.key })).body.data).to.deep.equal([]);
    expect((await suite.api.get(`/api/campaigns/${campaign.id}`, { key })).body.name).to.equal('Spring launch');
  });
});
