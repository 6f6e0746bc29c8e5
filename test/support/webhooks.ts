import type { Api, Reply } from './http.js';
import { BROWSER_UA } from './http.js';
import { signPolar, signStripe } from './signing.js';

export const STRIPE_WEBHOOK_SECRET = 'whsec_test_c2VjcmV0LWZvci1zeW5hcHR5eC10ZXN0cw';
export const POLAR_WEBHOOK_SECRET = 'polar_whs_test_secret_for_synaptyx';

export async function stripeSource(api: Api, key: string, fields: Record<string, unknown> = {}) {
  const reply = await api.post(
    '/api/sources',
    { provider: 'stripe', mode: 'api_key', api_key: 'sk_test_51Synaptyx0000000000abcd', webhook_secret: STRIPE_WEBHOOK_SECRET, ...fields },
    { key },
  );
  if (reply.status !== 201) throw new Error(`creating a source failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export async function polarSource(api: Api, key: string) {
  return stripeSource(api, key, { provider: 'polar', api_key: 'polar_oat_test_0000000000wxyz', webhook_secret: POLAR_WEBHOOK_SECRET });
}

/** Delivers a Stripe event as Stripe would: the exact bytes, signed. */
export function deliverStripe(
  api: Api,
  sourceId: string,
  event: unknown,
  options: { secret?: string; timestamp?: number; body?: string } = {},
): Promise<Reply> {
  const payload = JSON.stringify(event);
  const signature = signStripe(payload, options.secret ?? STRIPE_WEBHOOK_SECRET, options.timestamp);
  return api.post(`/webhooks/stripe/${sourceId}`, undefined, {
    raw: options.body ?? payload,
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
  });
}

export function deliverPolar(
  api: Api,
  sourceId: string,
  event: unknown,
  options: { id?: string; timestamp?: Date; secret?: string; body?: string } = {},
): Promise<Reply> {
  const payload = JSON.stringify(event);
  const headers = signPolar(payload, options.secret ?? POLAR_WEBHOOK_SECRET, options);
  return api.post(`/webhooks/polar/${sourceId}`, undefined, {
    raw: options.body ?? payload,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A human click on a tracked link: the click id from the redirect. */
export async function click(api: Api, slug: string): Promise<string> {
  const reply = await api.get(`/c/${slug}`, { headers: { 'user-agent': BROWSER_UA } });
  const clickId = new URL(reply.headers.get('location')!).searchParams.get('clickid');
  if (!clickId) throw new Error(`no click id in ${reply.headers.get('location')}`);
  return clickId;
}

/** A workspace with a campaign (coupon code SPRING-<n>) and a link, ready to receive sales. */
export async function storefront(api: Api, couponCode = `SPRING${Math.floor(Math.random() * 1e9)}`) {
  const workspace = await api.workspace();
  const campaign = await api.campaign(workspace.key, { coupon_codes: [couponCode] });
  const link = await api.link(workspace.key, campaign.id);
  return { key: workspace.key, campaign, link, couponCode };
}

export async function conversionsOf(api: Api, key: string, query = ''): Promise<any[]> {
  const reply = await api.get(`/api/conversions?limit=200${query}`, { key });
  if (reply.status !== 200) throw new Error(`listing conversions failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.data;
}

export async function logsOf(api: Api, key: string, sourceId: string, query = ''): Promise<any[]> {
  const reply = await api.get(`/api/sources/${sourceId}/webhook-logs?limit=200${query}`, { key });
  if (reply.status !== 200) throw new Error(`listing logs failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.data;
}
