import type Router from '@koa/router';
import { newRouter } from '../router.js';
import { Type } from '@sinclair/typebox';
import type { Knex } from 'knex';
import { apiKeyAuth } from '../middleware/auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { listQuery, validate, validQuery } from '../validation.js';
import { Page } from '../responses.js';
import type { Sources } from '../../sources/sources.js';
import type { Connections } from '../../sources/connections.js';
import { findSource } from '../../sources/sources.js';
import { CreateSourceBody, DisconnectedSource, EventMappings, EventMappingsBody, SourceParams, SourceView } from '../../sources/schemas.js';
import { listLogs } from '../../webhooks/logs.js';
import { Outcome, WebhookLogView } from '../../webhooks/schemas.js';

const ListSourcesQuery = listQuery({});
const ListLogsQuery = listQuery({ outcome: Type.Optional(Outcome) });

export function sourceRoutes(sources: Sources, db: Knex, connections: Connections): Router {
  const router = newRouter('/api/sources');
  router.use(apiKeyAuth(), jsonBody());

  const creation = {
    body: CreateSourceBody,
    responses: { 201: SourceView },
    errors: {
      400: 'validation_failed: a bad field, a key the provider refused (pointer /api_key), or no webhook_secret for a provider whose endpoints the merchant makes (Stripe)',
      502: 'provider_unavailable: the provider did not answer while the key was checked or the webhook endpoint created; nothing was stored',
    },
  };
  // Without webhook_secret, the provider is asked about the key and the endpoint is created there before anything is stored.
  router.post('/', validate(creation), async (ctx) => {
    ctx.status = 201;
    ctx.body = await sources.create(ctx.state.workspaceId, ctx.request.body as CreateSourceBody);
  });

  router.get('/', validate({ query: ListSourcesQuery, responses: { 200: Page(SourceView) } }), async (ctx) => {
    ctx.body = await sources.list(ctx.state.workspaceId, validQuery(ctx, ListSourcesQuery));
  });

  router.get('/:id', validate({ params: SourceParams, responses: { 200: SourceView } }), async (ctx) => {
    ctx.body = await sources.get(ctx.state.workspaceId, ctx.params.id);
  });

  // Disconnects at the provider where it can, and always locally; `provider_disconnect` says how it went there.
  router.delete('/:id', validate({ params: SourceParams, responses: { 200: DisconnectedSource } }), async (ctx) => {
    ctx.body = await connections.disconnect(ctx.state.workspaceId, ctx.params.id);
  });

  router.get('/:id/event-mappings', validate({ params: SourceParams, responses: { 200: EventMappings } }), async (ctx) => {
    ctx.body = await sources.eventMappings(ctx.state.workspaceId, ctx.params.id);
  });

  router.put('/:id/event-mappings', validate({ params: SourceParams, body: EventMappingsBody, responses: { 200: EventMappings } }), async (ctx) => {
    ctx.body = await sources.replaceEventMappings(ctx.state.workspaceId, ctx.params.id, ctx.request.body as EventMappingsBody);
  });

  router.get('/:id/webhook-logs', validate({ params: SourceParams, query: ListLogsQuery, responses: { 200: Page(WebhookLogView) } }), async (ctx) => {
    const source = await findSource(ctx.state.workspaceId, ctx.params.id);
    ctx.body = await listLogs(db, source.id, validQuery(ctx, ListLogsQuery));
  });
  return router;
}
