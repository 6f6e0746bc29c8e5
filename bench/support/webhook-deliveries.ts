// What bench:webhooks sends for each provider: a fresh paid sale with a click id, signed as the provider signs it.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import type { ProviderName } from '../../src/providers/provider.js';

export interface Delivery {
  /** The provider's id of the event: the same for a repeat of it. */
  eventId: string;
  body: string;
}

export interface ProviderDeliveries {
  provider: ProviderName;
  /** The script in bench/baselines/ that only verifies this provider's signature. */
  baseline: string;
  secret: string;
  apiKey: string;
  /** A new event: a paid sale of 49.00 carrying `clickId`. */
  event(clickId: string): Delivery;
  /** The headers that sign it, made at send time: a provider signs every attempt, repeats included. */
  sign(delivery: Delivery): Record<string, string>;
}

const stripe = new Stripe('sk_signing_only');
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const now = () => new Date().toISOString();

function stripeDeliveries(): ProviderDeliveries {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  return {
    provider: 'stripe', baseline: 'stripe-verify.ts', secret, apiKey: 'sk_test_bench_0000',
    event(clickId) {
      const eventId = `evt_${hex(12)}`;
      const body = JSON.stringify({
        id: eventId, object: 'event', api_version: '2025-04-30.basil', created: Math.floor(Date.now() / 1000), type: 'checkout.session.completed',
        data: { object: {
          id: `cs_test_${hex(12)}`, object: 'checkout.session', mode: 'payment', payment_status: 'paid', status: 'complete',
          amount_total: 4900, currency: 'usd', customer: `cus_${hex(8)}`, payment_intent: `pi_${hex(12)}`,
          client_reference_id: null, discounts: [], total_details: { amount_discount: 0 }, metadata: { synaptyx_clickid: clickId },
        } },
      });
      return { eventId, body };
    },
    sign: ({ body }) => ({ 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret }) }),
  };
}

/** Polar's SDK checks the whole payload against its schema: the schema-built fixture is the template. */
const polarOrder = JSON.parse(readFileSync(new URL('../../test/fixtures/polar.order.paid.json', import.meta.url), 'utf8')).data;

function polarDeliveries(): ProviderDeliveries {
  const secret = `polar_whs_${randomBytes(24).toString('base64url')}`;
  const webhook = new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' });
  return {
    provider: 'polar', baseline: 'polar-verify.ts', secret, apiKey: 'polar_oat_bench_0000',
    event(clickId) {
      const eventId = `msg_${randomUUID()}`;
      const body = JSON.stringify({
        type: 'order.paid', timestamp: now(), api_version: '2026-10',
        data: { ...polarOrder, id: randomUUID(), customer_id: randomUUID(), metadata: { synaptyx_clickid: clickId }, created_at: now() },
      });
      return { eventId, body };
    },
    sign({ eventId, body }) {
      const sent = new Date();
      return { 'webhook-id': eventId, 'webhook-timestamp': String(Math.floor(sent.getTime() / 1000)), 'webhook-signature': webhook.sign(eventId, sent, body) };
    },
  };
}

let lemonOrder = 1_000_000;

function lemonSqueezyDeliveries(): ProviderDeliveries {
  const secret = randomBytes(24).toString('base64url');
  return {
    provider: 'lemonsqueezy', baseline: 'lemonsqueezy-verify.ts', secret, apiKey: `bench.${hex(16)}`,
    event(clickId) {
      const id = String(lemonOrder++);
      const time = now();
      const body = JSON.stringify({
        meta: { test_mode: false, event_name: 'order_created', webhook_id: randomUUID(), custom_data: { synaptyx_clickid: clickId } },
        data: {
          type: 'orders', id,
          attributes: { store_id: 1, customer_id: lemonOrder, currency: 'USD', status: 'paid', total: 4900, subtotal: 4900, tax: 0, discount_total: 0, refunded: false, test_mode: false, created_at: time, updated_at: time },
        },
      });
      return { eventId: `order_created:${id}:${time}`, body };
    },
    sign: ({ body }) => ({ 'x-event-name': 'order_created', 'x-signature': createHmac('sha256', secret).update(body).digest('hex') }),
  };
}

function paddleDeliveries(): ProviderDeliveries {
  const secret = `pdl_ntfset_01${hex(12)}_${randomBytes(24).toString('base64url')}`;
  return {
    provider: 'paddle', baseline: 'paddle-verify.ts', secret, apiKey: `pdl_live_apikey_01${hex(12)}`,
    event(clickId) {
      const eventId = `evt_01${hex(12)}`;
      const body = JSON.stringify({
        event_id: eventId, event_type: 'transaction.completed', occurred_at: now(), notification_id: `ntf_01${hex(12)}`,
        data: {
          id: `txn_01${hex(12)}`, status: 'completed', origin: 'web', customer_id: `ctm_01${hex(12)}`, currency_code: 'USD', subscription_id: null,
          discount_id: null, custom_data: { synaptyx_clickid: clickId }, billed_at: now(), created_at: now(),
          details: { totals: { subtotal: '4900', tax: '0', discount: '0', total: '4900', grand_total: '4900', currency_code: 'USD' } },
        },
      });
      return { eventId, body };
    },
    sign({ body }) {
      const ts = Math.floor(Date.now() / 1000);
      return { 'paddle-signature': `ts=${ts};h1=${createHmac('sha256', secret).update(`${ts}:`).update(body).digest('hex')}` };
    },
  };
}

export const PROVIDER_DELIVERIES: Record<ProviderName, () => ProviderDeliveries> = {
  stripe: stripeDeliveries,
  polar: polarDeliveries,
  lemonsqueezy: lemonSqueezyDeliveries,
  paddle: paddleDeliveries,
};

/**
 * Lemon Squeezy's API as far as connecting a key with its webhook secret asks it (the key's mode and stores), so
 * the bench's Lemon Squeezy source connects as a merchant's would; reconciliation finds no orders.
 */
export async function lemonSqueezyApi(): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const body =
      path === '/v1/users/me' ? { meta: { test_mode: false }, data: { type: 'users', id: '1', attributes: { name: 'Bench' } } }
      : path === '/v1/stores' ? { data: [{ type: 'stores', id: '1', attributes: { name: 'Bench store' } }] }
      : { meta: { page: { lastPage: 1 } }, data: [] };
    res.writeHead(200, { 'content-type': 'application/vnd.api+json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
