import { expect } from 'chai';
import { useService } from '../support/service.js';
import { Api } from '../support/http.js';
import { checkoutSession, stripeEvent } from '../support/stripe-events.js';
import { STRIPE_WEBHOOK_SECRET, conversionsOf, deliverStripe, logsOf, stripeSource } from '../support/webhooks.js';
import { testDatabase } from '../support/hooks.js';

describe('revenue sources', () => {
  const suite = useService({ SYX_PUBLIC_URL: 'https://track.example.com' });

  it('creates an API-key source that shows its URLs and never its secrets', async () => {
    const { key } = await suite.api.workspace();
    const reply = await suite.api.post('/api/sources', { provider: 'stripe', mode: 'api_key', api_key: 'sk_test_secretvalue9876', webhook_secret: STRIPE_WEBHOOK_SECRET, name: 'Main shop' }, { key });
    expect(reply.status).to.equal(201);
    const source = reply.body;
    expect(source).to.include({ provider: 'stripe', mode: 'api_key', name: 'Main shop', status: 'active', account_id: null, last_event_at: null });
    expect(source.id).to.match(/^src_/);
    expect(source.webhook_url).to.equal(`https://track.example.com/webhooks/stripe/${source.id}`);
    expect(source.snippet_url).to.equal(`https://track.example.com/s/${source.id}.js`);
    expect(source.credentials).to.deep.equal({ api_key_last4: '9876' });
    const everything = JSON.stringify([source, (await suite.api.get(`/api/sources/${source.id}`, { key })).body, (await suite.api.get('/api/sources', { key })).body]);
    expect(everything).not.to.contain('secretvalue');
    expect(everything).not.to.contain(STRIPE_WEBHOOK_SECRET);
  });

  it('stores the secrets encrypted', async () => {
    const { key } = await suite.api.workspace();
    const source = await stripeSource(suite.api, key);
    const row = await testDatabase().db('sources').where({ id: source.id }).first();
    expect(JSON.stringify(row)).not.to.contain(STRIPE_WEBHOOK_SECRET);
    expect(row.webhook_secret_encrypted).to.match(/^v1\./);
  });

  it('validates the body, naming each bad field', async () => {
    const { key } = await suite.api.workspace();
    const reply = await suite.api.post('/api/sources', { provider: 'paypal', mode: 'api_key', webhook_secret: 'x' }, { key });
    expect(reply.status).to.equal(400);
    const pointers = reply.body.error.details.map((detail: { pointer: string }) => detail.pointer);
    expect(pointers).to.include.members(['/provider', '/api_key', '/webhook_secret']);
  });

  it('lists, fetches and disconnects; another workspace sees a 404', async () => {
    const { key } = await suite.api.workspace();
    const stranger = await suite.api.workspace();
    const source = await stripeSource(suite.api, key);
    expect((await suite.api.get('/api/sources', { key })).body.data.map((s: { id: string }) => s.id)).to.deep.equal([source.id]);
    expect((await suite.api.get(`/api/sources/${source.id}`, { key: stranger.key })).status).to.equal(404);
    expect((await suite.api.delete(`/api/sources/${source.id}`, { key: stranger.key })).status).to.equal(404);
    expect((await suite.api.get('/api/sources', { key: stranger.key })).body.data).to.deep.equal([]);
    const deleted = await suite.api.delete(`/api/sources/${source.id}`, { key });
    expect(deleted.status).to.equal(200);
    expect(deleted.body.status).to.equal('disconnected');
  });

  it('has default event mappings, replaceable per source', async () => {
    const { key } = await suite.api.workspace();
    const source = await stripeSource(suite.api, key);
    const defaults = await suite.api.get(`/api/sources/${source.id}/event-mappings`, { key });
    expect(defaults.status).to.equal(200);
    expect(defaults.body).to.deep.include({ event_type: 'checkout.session.completed', action: 'conversion', goal: 'purchase' });

    const mappings = [
      { event_type: 'checkout.session.completed', action: 'conversion', goal: 'signup' },
      { event_type: 'invoice.paid', action: 'ignore' },
      { event_type: 'payment_intent.succeeded', action: 'ignore' },
    ];
    expect((await suite.api.put(`/api/sources/${source.id}/event-mappings`, mappings, { key })).body).to.deep.equal(mappings);
    expect((await suite.api.get(`/api/sources/${source.id}/event-mappings`, { key })).body).to.deep.equal(mappings);

    await deliverStripe(suite.api, source.id, stripeEvent('checkout.session.completed', checkoutSession()));
    expect((await conversionsOf(suite.api, key))[0]).to.include({ goal: 'signup' });
  });

  it('logs an unmapped sale as ignored', async () => {
    const { key } = await suite.api.workspace();
    const source = await stripeSource(suite.api, key);
    await suite.api.put(`/api/sources/${source.id}/event-mappings`, [{ event_type: 'checkout.session.completed', action: 'ignore' }], { key });
    await deliverStripe(suite.api, source.id, stripeEvent('checkout.session.completed', checkoutSession()));
    expect(await conversionsOf(suite.api, key)).to.have.length(0);
    expect((await logsOf(suite.api, key, source.id))[0]).to.include({ outcome: 'ignored' });
  });

  it('refuses mappings that cannot work', async () => {
    const { key } = await suite.api.workspace();
    const source = await stripeSource(suite.api, key);
    const reply = await suite.api.put(`/api/sources/${source.id}/event-mappings`, [
      { event_type: 'payment_intent.succeeded', action: 'conversion', goal: 'purchase' },
      { event_type: 'invoice.paid', action: 'ignore' },
      { event_type: 'invoice.paid', action: 'conversion' },
    ], { key });
    expect(reply.status).to.equal(400);
    expect(reply.body.error.details.map((d: { pointer: string }) => d.pointer)).to.deep.equal(['/0/event_type', '/2/event_type']);
  });

  it('filters webhook logs by outcome and pages through them', async () => {
    const { key } = await suite.api.workspace();
    const source = await stripeSource(suite.api, key);
    for (let i = 0; i < 3; i++) await deliverStripe(suite.api, source.id, stripeEvent('checkout.session.completed', checkoutSession()));
    await deliverStripe(suite.api, source.id, stripeEvent('customer.created', { id: 'cus_1' }));
    expect(await logsOf(suite.api, key, source.id, '&outcome=orphan_no_clickid')).to.have.length(3);
    expect(await logsOf(suite.api, key, source.id, '&outcome=ignored')).to.have.length(1);
    expect((await suite.api.get(`/api/sources/${source.id}`, { key })).body.last_event_at).to.be.a('string');
    const first = await suite.api.get(`/api/sources/${source.id}/webhook-logs?limit=2`, { key });
    const second = await suite.api.get(`/api/sources/${source.id}/webhook-logs?limit=2&cursor=${first.body.next_cursor}`, { key });
    expect([...first.body.data, ...second.body.data].map((log) => log.id)).to.have.length(4);
    expect(second.body.next_cursor).to.equal(null);
    expect((await suite.api.get(`/api/sources/${source.id}/webhook-logs?outcome=nonsense`, { key })).status).to.equal(400);
  });
});
