import { expect } from 'chai';
import { useService } from '../support/service.js';
import { Api } from '../support/http.js';
import { testDatabase } from '../support/hooks.js';
import { checkoutSession, stripeEvent } from '../support/stripe-events.js';
import { click, conversionsOf, deliverStripe, logsOf, storefront, stripeSource } from '../support/webhooks.js';

describe('webhook deliveries', () => {
  const suite = useService();

  async function attributedSale() {
    const shop = await storefront(suite.api);
    const source = await stripeSource(suite.api, shop.key);
    const clickId = await click(suite.api, shop.link.slug);
    const event = stripeEvent('checkout.session.completed', checkoutSession({ metadata: { synaptyx_clickid: clickId } }));
    return { ...shop, source, event };
  }

  it('counts a redelivered event once and logs the repeat as a duplicate', async () => {
    const { key, source, event } = await attributedSale();
    expect((await deliverStripe(suite.api, source.id, event)).body).to.include({ outcome: 'attributed' });
    const again = await deliverStripe(suite.api, source.id, event);
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ outcome: 'duplicate' });
    expect(await conversionsOf(suite.api, key)).to.have.length(1);
  });

  it('gives 8 concurrent deliveries of one event exactly one effect', async () => {
    const { key, source, event } = await attributedSale();
    const replies = await Promise.all(Array.from({ length: 8 }, () => deliverStripe(suite.api, source.id, event)));
    expect(replies.map((reply) => reply.status)).to.deep.equal(Array(8).fill(200));
    expect(await conversionsOf(suite.api, key)).to.have.length(1);
    const outcomes = (await logsOf(suite.api, key, source.id)).map((log) => log.outcome).sort();
    expect(outcomes).to.deep.equal(['attributed', ...Array(7).fill('duplicate')]);
  });

  it('refuses a tampered body, a wrong secret and a stale signature with 400, and logs the burst once', async () => {
    const { key, source, event } = await attributedSale();
    const tampered = JSON.stringify({ ...event, data: { object: { ...event.data.object, amount_total: 1 } } });
    const replies = [
      await deliverStripe(suite.api, source.id, event, { body: tampered }),
      await deliverStripe(suite.api, source.id, event, { secret: 'whsec_someone_else_entirely' }),
      await deliverStripe(suite.api, source.id, event, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
    ];
    for (const reply of replies) {
      expect(reply.status).to.equal(400);
      expect(reply.body.error.code).to.equal('invalid_signature');
    }
    const unsigned = await suite.api.post(`/webhooks/stripe/${source.id}`, event);
    expect(unsigned.status).to.equal(400);
    expect(await conversionsOf(suite.api, key)).to.have.length(0);
    // One row per burst of bad deliveries (test/http/abuse.test.ts): the next burst's row counts these.
    const logged = await logsOf(suite.api, key, source.id, '&outcome=invalid_signature');
    expect(logged).to.have.length(1);
    expect(logged[0].detail).to.contain('signature');
  });

  it('answers 404 for an unknown source, a disconnected one, or the wrong provider', async () => {
    const { key, source, event } = await attributedSale();
    expect((await deliverStripe(suite.api, 'src_01M00000000000000000000000', event)).status).to.equal(404);
    expect((await suite.api.post(`/webhooks/polar/${source.id}`, event)).status).to.equal(404);
    await suite.api.delete(`/api/sources/${source.id}`, { key });
    expect((await deliverStripe(suite.api, source.id, event)).status).to.equal(404);
  });

  it('answers 503 when the event cannot be stored, so the provider retries; the retry counts once', async () => {
    const { key, source, event } = await attributedSale();
    const { db } = testDatabase();
    await db.raw('ALTER TABLE webhook_events RENAME TO webhook_events_away');
    try {
      const failed = await deliverStripe(suite.api, source.id, event);
      expect(failed.status).to.equal(503);
      expect(failed.body.error.code).to.equal('unavailable');
    } finally {
      await db.raw('ALTER TABLE webhook_events_away RENAME TO webhook_events');
    }
    expect(await conversionsOf(suite.api, key)).to.have.length(0);
    expect((await deliverStripe(suite.api, source.id, event)).body).to.include({ outcome: 'attributed' });
    expect((await deliverStripe(suite.api, source.id, event)).body).to.include({ outcome: 'duplicate' });
    expect(await conversionsOf(suite.api, key)).to.have.length(1);
  });

  it('records a burst of concurrent sales, each once, with its repeats logged as duplicates', async () => {
    const { key, source, link } = await attributedSale();
    const events = await Promise.all(
      Array.from({ length: 24 }, async () =>
        stripeEvent('checkout.session.completed', checkoutSession({ metadata: { synaptyx_clickid: await click(suite.api, link.slug) } })),
      ),
    );
    const deliveries = [...events, ...events.slice(0, 6)].map((event) => deliverStripe(suite.api, source.id, event));
    const replies = await Promise.all(deliveries);
    expect(replies.map((reply) => reply.status)).to.deep.equal(Array(30).fill(200));

    const conversions = await conversionsOf(suite.api, key);
    expect(conversions.map((conversion) => conversion.provider_order_id).sort()).to.deep.equal(
      events.map((event) => event.data.object.payment_intent).sort(),
    );
    expect(conversions.every((conversion) => conversion.link_id === link.id)).to.equal(true);
    const outcomes = (await logsOf(suite.api, key, source.id)).map((log) => log.outcome);
    expect(outcomes.filter((outcome) => outcome === 'attributed')).to.have.length(24);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).to.have.length(6);
  });

  it('answers 503 only for the sale that cannot be stored, not for those delivered with it', async () => {
    const { key, source, link } = await attributedSale();
    const { db } = testDatabase();
    const poisoned = checkoutSession({ metadata: { synaptyx_clickid: await click(suite.api, link.slug) } });
    await db.raw(`CREATE FUNCTION refuse_poisoned_sale() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.provider_order_id = '${poisoned.payment_intent}' THEN RAISE EXCEPTION 'disk full, say'; END IF;
        RETURN NEW;
      END $$`);
    await db.raw('CREATE TRIGGER refuse_poisoned_sale BEFORE INSERT ON conversions FOR EACH ROW EXECUTE FUNCTION refuse_poisoned_sale()');
    try {
      const healthy = Array.from({ length: 8 }, () => stripeEvent('checkout.session.completed', checkoutSession()));
      const replies = await Promise.all(
        [...healthy, stripeEvent('checkout.session.completed', poisoned)].map((event) => deliverStripe(suite.api, source.id, event)),
      );
      expect(replies.map((reply) => reply.status)).to.deep.equal([...Array(8).fill(200), 503]);
    } finally {
      await db.raw('DROP TRIGGER refuse_poisoned_sale ON conversions');
      await db.raw('DROP FUNCTION refuse_poisoned_sale()');
    }
    expect(await conversionsOf(suite.api, key)).to.have.length(8);
    expect(await logsOf(suite.api, key, source.id, '&outcome=error')).to.have.length(1);
  });

  it('attributes to the campaign a link was moved to', async () => {
    const { key, source, link } = await attributedSale();
    const before = stripeEvent('checkout.session.completed', checkoutSession({ metadata: { synaptyx_clickid: await click(suite.api, link.slug) } }));
    await deliverStripe(suite.api, source.id, before);
    const autumn = await suite.api.campaign(key, { name: 'Autumn' });
    expect((await suite.api.patch(`/api/links/${link.id}`, { campaign_id: autumn.id }, { key })).status).to.equal(200);
    const after = stripeEvent('checkout.session.completed', checkoutSession({ metadata: { synaptyx_clickid: await click(suite.api, link.slug) } }));
    await deliverStripe(suite.api, source.id, after);
    const campaignOf = async (event: typeof before) =>
      (await conversionsOf(suite.api, key)).find((conversion) => conversion.provider_order_id === event.data.object.payment_intent)?.campaign_id;
    expect(await campaignOf(before)).to.equal(link.campaign_id);
    expect(await campaignOf(after)).to.equal(autumn.id);
  });

  it('logs an event type Synaptyx does not read as ignored', async () => {
    const { key, source } = await attributedSale();
    const reply = await deliverStripe(suite.api, source.id, stripeEvent('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' }));
    expect(reply.status).to.equal(200);
    const [log] = await logsOf(suite.api, key, source.id);
    expect(log).to.include({ outcome: 'ignored', event_type: 'payment_intent.succeeded', conversion_id: null });
  });

  it('keeps webhook logs to their own workspace', async () => {
    const { source } = await attributedSale();
    const stranger = await suite.api.workspace();
    const reply = await suite.api.get(`/api/sources/${source.id}/webhook-logs`, { key: stranger.key });
    expect(reply.status).to.equal(404);
  });
});
