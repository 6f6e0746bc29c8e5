import type Router from '@koa/router';
import { newRouter } from '../router.js';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { payloadTooLarge } from '../http-errors.js';
import { idPattern } from '../../ids.js';
import type { ProviderName } from '../../providers/provider.js';
import type { DeliveryResult, WebhookPipeline } from '../../webhooks/pipeline.js';
import type { ConnectWebhooks } from '../../webhooks/connect.js';

const SOURCE_ID = new RegExp(idPattern('src'));
const PROVIDERS = new Set<string>(['stripe', 'polar']);

/** Provider webhooks: the raw bytes go to the provider's SDK for verification, never through a JSON parser. */
export function webhookRoutes(pipeline: WebhookPipeline, connect?: ConnectWebhooks): Router {
  const router = newRouter();

  // The platform's Stripe Connect endpoint, before the per-source route whose :source_id it would not match.
  router.post('/webhooks/stripe/connect', async (ctx) => {
    if (!connect) return notFound(ctx);
    const rawBody = await readRawBody(ctx);
    answer(ctx, await connect.receive({ rawBody, headers: ctx.req.headers }));
  });

  router.post('/webhooks/:provider/:source_id', async (ctx) => {
    const { provider, source_id: sourceId } = ctx.params;
    if (!PROVIDERS.has(provider) || !SOURCE_ID.test(sourceId)) return notFound(ctx);
    const rawBody = await readRawBody(ctx);
    answer(ctx, await pipeline.receive(provider as ProviderName, sourceId, { rawBody, headers: ctx.req.headers }));
  });
  return router;
}

function readRawBody(ctx: Context): Promise<Buffer> {
  return getRawBody(ctx.req, { limit: '1mb' }).catch((error) => {
    throw error.type === 'entity.too.large' ? payloadTooLarge('1 MB') : error;
  });
}

function answer(ctx: Context, result: DeliveryResult): void {
  if (result.status === 404) return notFound(ctx);
  ctx.status = result.status;
  ctx.body =
    result.status === 200
      ? { received: true, outcome: result.outcome }
      : result.status === 400
        ? { error: { code: 'invalid_signature', message: 'The webhook signature is missing, wrong or too old.' } }
        : { error: { code: 'unavailable', message: 'The event could not be stored; retry later.' } };
}

function notFound(ctx: Context): void {
  ctx.status = 404;
  ctx.body = { error: { code: 'not_found', message: 'No connected source answers at this webhook URL.' } };
}
