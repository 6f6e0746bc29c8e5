import type Router from '@koa/router';
import { newRouter } from '../router.js';
import { apiKeyAuth } from '../middleware/auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { listQuery, validate, validQuery } from '../validation.js';
import { Page } from '../responses.js';
import type { Links } from '../../links/links.js';
import { CreateLinkBody, LinkParams, LinkView, ListLinksQuery, UpdateLinkBody } from '../../links/schemas.js';

const ListQuery = listQuery(ListLinksQuery.properties);
const NO_CAMPAIGN = 'not_found: no such campaign in this workspace';
const TAKEN = 'conflict: the slug is taken, or the campaign is archived';

export function linkRoutes(links: Links): Router {
  const router = newRouter('/api/links');
  router.use(apiKeyAuth(), jsonBody());

  router.post('/', validate({ body: CreateLinkBody, responses: { 201: LinkView }, errors: { 404: NO_CAMPAIGN, 409: TAKEN } }), async (ctx) => {
    ctx.status = 201;
    ctx.body = await links.create(ctx.state.workspaceId, ctx.request.body as CreateLinkBody);
  });

  router.get('/', validate({ query: ListQuery, responses: { 200: Page(LinkView) } }), async (ctx) => {
    ctx.body = await links.list(ctx.state.workspaceId, validQuery(ctx, ListQuery));
  });

  router.get('/:id', validate({ params: LinkParams, responses: { 200: LinkView } }), async (ctx) => {
    ctx.body = await links.get(ctx.state.workspaceId, ctx.params.id);
  });

  router.patch('/:id', validate({ params: LinkParams, body: UpdateLinkBody, responses: { 200: LinkView }, errors: { 409: TAKEN } }), async (ctx) => {
    ctx.body = await links.update(ctx.state.workspaceId, ctx.params.id, ctx.request.body as UpdateLinkBody);
  });

  router.delete('/:id', validate({ params: LinkParams, responses: { 200: LinkView } }), async (ctx) => {
    ctx.body = await links.archive(ctx.state.workspaceId, ctx.params.id);
  });
  return router;
}
