import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Stripe events for tests, built from the real fixtures in test/fixtures (copied from ../shared/fixtures).
 * Builders change only ids and the fields a test is about, so every other field stays as Stripe sent it.
 */
export function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
}

export const uid = (prefix: string) => `${prefix}_${randomBytes(9).toString('hex')}`;

export function stripeEvent(type: string, object: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    id: uid('evt'),
    object: 'event',
    api_version: '2025-04-30.basil',
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    ...extra,
  };
}

/** A paid payment-mode checkout session (the real fixture with fresh ids), with `fields` on top. */
export function checkoutSession(fields: Record<string, unknown> = {}) {
  const session = fixture('stripe.checkout.session.completed.json').data.object;
  return { ...session, id: uid('cs_test'), payment_intent: uid('pi'), invoice: null, customer: uid('cus'), ...fields };
}

/** A subscription-mode session (the pay-rails fixture, data only) with fresh ids. */
export function subscriptionSession(fields: Record<string, unknown> = {}) {
  const session = fixture('stripe.checkout.session.completed.subscription-mode.data-only.json').object;
  return { ...session, id: uid('cs_test'), subscription: uid('sub'), customer: uid('cus'), payment_status: 'paid', ...fields };
}

/**
 * An invoice.paid object in the current (basil) shape: subscription and its metadata under `parent`, and its
 * payment under `payments` as an endpoint that asks for it receives (`payments: undefined` leaves it out).
 */
export function basilInvoice(fields: { subscription: string; metadata?: Record<string, string>; [key: string]: unknown }) {
  const { subscription, metadata = {}, ...rest } = fields;
  const invoice = fixture('stripe.invoice.payment_failed.basil.data-only.json').object;
  return {
    ...invoice,
    id: uid('in'),
    status: 'paid',
    amount_paid: invoice.amount_due,
    amount_remaining: 0,
    parent: { quote_details: null, type: 'subscription_details', subscription_details: { metadata, subscription } },
    payments: { object: 'list', data: [{ object: 'invoice_payment', payment: { type: 'payment_intent', payment_intent: uid('pi') } }] },
    ...rest,
  };
}

/** An invoice.paid object in the legacy shape: top-level `subscription`, `payment_intent`, `charge`. */
export function legacyInvoice(fields: { subscription: string; metadata?: Record<string, string>; [key: string]: unknown }) {
  const { subscription, metadata = {}, ...rest } = fields;
  const invoice = fixture('stripe.invoice.paid.json').data.object;
  return {
    ...invoice,
    id: uid('in'),
    subscription,
    subscription_details: { metadata },
    amount_paid: 4900,
    payment_intent: uid('pi'),
    charge: uid('ch'),
    ...rest,
  };
}

export function chargeRefunded(fields: { payment_intent: string; amount: number; amount_refunded: number; id?: string }) {
  const charge = fixture('stripe.charge.refunded.json').data.object;
  return { ...charge, id: fields.id ?? uid('ch'), refunds: { object: 'list', data: [], has_more: false }, ...fields, refunded: fields.amount_refunded >= fields.amount };
}

export function refund(fields: { payment_intent: string; amount: number; status: string; id?: string; charge?: string; [field: string]: unknown }) {
  const object = fixture('stripe.refund.created.json').data.object;
  return { ...object, id: fields.id ?? uid('re'), charge: fields.charge ?? uid('ch'), ...fields };
}

export function dispute(fields: { payment_intent: string; amount: number; status: string; id?: string; charge?: string }) {
  const object = fixture('stripe.charge.dispute.created.json').data.object;
  return { ...object, id: fields.id ?? uid('dp'), charge: fields.charge ?? uid('ch'), ...fields };
}
