import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { InvalidSignature, type NormalizedEvent, type OrderFacts, type PaymentProvider, type WebhookDelivery } from '../../src/providers/provider.js';

/** Fixtures are JSON of any shape; tests read and modify them freely. */
export type Fixture = Record<string, any>;

/** The exact bytes of a fixture in test/fixtures (copied unchanged from ../shared/fixtures). */
export function rawFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}

/** A fresh, mutable copy of a fixture, for variants a test labels as modified. */
export function fixtureCopy(name: string): Fixture {
  return JSON.parse(rawFixture(name));
}

/** The Stripe envelope around a data-only fixture (`{"object": {...}}`), as Stripe would have sent it. */
export function wrapStripeData(data: Fixture, type: string, fields: Fixture = {}): Fixture {
  return { id: `evt_wrapped_${type.replace(/\W/g, '_')}`, object: 'event', api_version: '2025-04-30.basil', created: 1_745_433_962, type, data, livemode: false, ...fields };
}

/** Changes one digit in the body: the bytes no longer match what was signed. */
export function tamper(payload: string): Buffer {
  return Buffer.from(payload.replace(/\d/, (digit) => String((Number(digit) + 1) % 10)));
}

export async function expectInvalidSignature(provider: PaymentProvider, delivery: WebhookDelivery, secret: string, label: string): Promise<void> {
  let thrown: unknown = null;
  await provider.verify(delivery, secret).catch((error: unknown) => (thrown = error));
  expect(thrown, label).to.be.instanceOf(InvalidSignature);
}

/** Narrows a normalised event to an order, failing the test with the event if it is not one. */
export function orderOf(event: NormalizedEvent): OrderFacts {
  if (event.kind !== 'order') expect.fail(`expected an order, got ${JSON.stringify(event)}`);
  return event.order;
}

/** An order with every field at its neutral value, for expectations that name only what differs. */
export function orderFacts(fields: Partial<OrderFacts> & Pick<OrderFacts, 'orderId' | 'refs' | 'amount' | 'currency' | 'occurredAt'>): OrderFacts {
  return {
    clickId: null,
    clientReferenceId: null,
    customerId: null,
    couponCodes: [],
    couponLookup: null,
    paymentLookup: null,
    renewal: false,
    initialSubscriptionPayment: false,
    refundedAmount: null,
    ...fields,
  };
}
