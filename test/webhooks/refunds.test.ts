import { expect } from 'chai';
import { useService } from '../support/service.js';
import { Api } from '../support/http.js';
import { chargeRefunded, checkoutSession, dispute, refund, stripeEvent, uid } from '../support/stripe-events.js';
import { click, conversionsOf, deliverStripe, logsOf, storefront, stripeSource } from '../support/webhooks.js';

describe('refunds and disputes', () => {
  const suite = useService();

  /** A recorded 10,000 USD sale; `send` delivers more events to its source. */
  async function sale() {
    const shop = await storefront(suite.api);
    const source = await stripeSource(suite.api, shop.key);
    const clickId = await click(suite.api, shop.link.slug);
    const paymentIntent = uid('pi');
    const order = stripeEvent('checkout.session.completed', checkoutSession({
      payment_intent: paymentIntent, amount_total: 10_000, currency: 'usd', metadata: { synaptyx_clickid: clickId },
    }));
    const send = (event: unknown) => deliverStripe(suite.api, source.id, event);
    const conversion = async () => (await conversionsOf(suite.api, shop.key))[0];
    return { ...shop, source, order, paymentIntent, send, conversion };
  }

  const refunded = (paymentIntent: string, amountRefunded: number) =>
    stripeEvent('charge.refunded', chargeRefunded({ payment_intent: paymentIntent, amount: 10_000, amount_refunded: amountRefunded }));

  it('a partial refund changes the conversion in place', async () => {
    const { send, order, paymentIntent, conversion } = await sale();
    await send(order);
    const reply = await send(refunded(paymentIntent, 2_500));
    expect(reply.body).to.include({ outcome: 'adjusted' });
    expect(await conversion()).to.include({ amount: 10_000, refunded_amount: 2_500, net_amount: 7_500, status: 'partially_refunded' });
  });

  it('repeated and reordered cumulative refunds never count twice', async () => {
    const { send, order, paymentIntent, conversion } = await sale();
    await send(order);
    await send(refunded(paymentIntent, 10_000));
    await send(refunded(paymentIntent, 2_500)); // an older event arriving late
    await send(refunded(paymentIntent, 10_000));
    expect(await conversion()).to.include({ refunded_amount: 10_000, net_amount: 0, status: 'refunded' });
  });

  it('refund.created and refund.updated count each refund once, by its id', async () => {
    const { send, order, paymentIntent, conversion } = await sale();
    await send(order);
    const pending = refund({ payment_intent: paymentIntent, amount: 3_000, status: 'pending' });
    await send(stripeEvent('refund.created', pending));
    expect(await conversion()).to.include({ refunded_amount: 0, status: 'paid' });
    await send(stripeEvent('refund.updated', { ...pending, status: 'succeeded' }));
    await send(stripeEvent('refund.updated', { ...pending, status: 'succeeded' }));
    expect(await conversion()).to.include({ refunded_amount: 3_000, status: 'partially_refunded' });
  });

  it('keeps a refund for an order not seen yet and applies it when the order arrives', async () => {
    const { send, order, paymentIntent, conversion, key, source } = await sale();
    const early = await send(refunded(paymentIntent, 4_000));
    expect(early.body).to.include({ outcome: 'pending_conversion' });
    expect(await conversion()).to.equal(undefined);
    await send(order);
    expect(await conversion()).to.include({ refunded_amount: 4_000, status: 'partially_refunded', attribution: 'metadata' });
    const outcomes = (await logsOf(suite.api, key, source.id)).map((log) => log.outcome);
    expect(outcomes).to.deep.equal(['attributed', 'pending_conversion']);
  });

  it('a dispute holds the amount; won releases it', async () => {
    const { send, order, paymentIntent, conversion } = await sale();
    await send(order);
    const opened = dispute({ payment_intent: paymentIntent, amount: 10_000, status: 'needs_response' });
    await send(stripeEvent('charge.dispute.created', opened));
    expect(await conversion()).to.include({ disputed_amount: 10_000, net_amount: 0, status: 'disputed' });
    await send(stripeEvent('charge.dispute.closed', { ...opened, status: 'won' }));
    expect(await conversion()).to.include({ disputed_amount: 0, net_amount: 10_000, status: 'paid' });
  });

  it('a lost dispute is final, whatever order the events arrive in', async () => {
    const { send, order, paymentIntent, conversion } = await sale();
    await send(order);
    const opened = dispute({ payment_intent: paymentIntent, amount: 10_000, status: 'needs_response' });
    await send(stripeEvent('charge.dispute.closed', { ...opened, status: 'lost' }));
    await send(stripeEvent('charge.dispute.created', opened));
    expect(await conversion()).to.include({ disputed_amount: 10_000, net_amount: 0, status: 'disputed' });
  });

  it('a dispute before its order waits for it', async () => {
    const { send, order, paymentIntent, conversion } = await sale();
    const early = await send(stripeEvent('charge.dispute.created', dispute({ payment_intent: paymentIntent, amount: 6_000, status: 'needs_response' })));
    expect(early.body).to.include({ outcome: 'pending_conversion' });
    await send(order);
    expect(await conversion()).to.include({ disputed_amount: 6_000, net_amount: 4_000, status: 'disputed' });
  });
});
