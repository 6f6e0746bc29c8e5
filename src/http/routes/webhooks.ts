import type Router from '@koa/router';
import type { Static } from '@sinclair/typebox';
import type { Context } from 'koa';
import { newRouter } from '../router.js';
import { readBody } from '../body.js';
import { documented } from '../validation.js';
import { SIGNED_EVENT, WebhookReceipt } from '../../webhooks/schemas.js';
import { idPattern } from '../../ids.js';
import { isProviderName } from '../../providers/provider.js';
import type { DeliveryResult, WebhookPipeline } from '../../webhooks/pipeline.js';
import type { ConnectWebhooks } from '../../webhooks/connect.js';

const SOURCE_ID = new RegExp(idPattern('src'));

const DELIVERY_ANSWERS = {
  rawBody: SIGNED_EVENT,
  responses: { 200: WebhookReceipt },
  errors: {
    400: 'invalid_signature: missing, wrong or too old (logged, one row per burst); or invalid_body: it could not be read',
    404: 'not_found: no connected source answers at this URL',
    429: 'rate_limited, with Retry-After: too many bad signatures from this source or sender',
    503: 'unavailable, with Retry-After: the event could not be stored; the provider retries it',
  },
};

/**
 * Provider webhooks: the raw bytes go to the provider's SDK for verification, never through a JSON parser. An
 * unknown source is a 404 before the body is read.
 */
export function webhookRoutes(pipeline: WebhookPipeline, connect?: ConnectWebhooks): Router {
  const router = newRouter();

  // The platform's Stripe Connect endpoint, before the per-source route whose :source_id it would not match.
  router.post('/webhooks/stripe/connect', documented(DELIVERY_ANSWERS), async (ctx) => {
    if (!connect) return notFound(ctx);
    const rawBody = await readBody(ctx);
    answer(ctx, await connect.receive({ rawBody, headers: ctx.req.headers }, ctx.ip));
  });

  router.post('/webhooks/:provider/:source_id', documented(DELIVERY_ANSWERS), async (ctx) => {
    const { provider, source_id: sourceId } = ctx.params;
    const source = isProviderName(provider) && SOURCE_ID.test(sourceId) ? await pipeline.endpointSource(provider, sourceId) : null;
    if (!source) return notFound(ctx);
    const rawBody = await readBody(ctx);
    answer(ctx, await pipeline.receive(source, { rawBody, headers: ctx.req.headers }, ctx.ip));
  });
  return router;
}

/** What each result of a delivery is for the provider: 200 stops its retries, 429 and 503 ask for them. */
function answer(ctx: Context, delivery: DeliveryResult): void {
  switch (delivery.result) {
    case 'handled':
      ctx.status = 200;
      ctx.body = { received: true, outcome: delivery.outcome } satisfies Static<typeof WebhookReceipt>;
      return;
    case 'unknown_source':
      return notFound(ctx);
    case 'bad_signature':
      ctx.status = 400;
      ctx.body = { error: { code: 'invalid_signature', message: 'The webhook signature is missing, wrong or too old.' } };
      return;
    case 'refused':
      ctx.status = 429;
      ctx.set('Retry-After', String(delivery.retryAfterSeconds));
      ctx.body = { error: { code: 'rate_limited', message: 'Too many deliveries with a bad signature; try again later.' } };
      return;
    case 'not_stored':
      ctx.status = 503;
      ctx.set('Retry-After', '5');
      ctx.body = { error: { code: 'unavailable', message: 'The event could not be stored; retry later.' } };
  }
}

function notFound(ctx: Context): void {
  ctx.status = 404;
  ctx.body = { error: { code: 'not_found', message: 'No connected source answers at this webhook URL.' } };
}
