import type Router from '@koa/router';
import { newRouter } from '../router.js';
import { Type } from '@sinclair/typebox';
import { apiKeyAuth } from '../middleware/auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { listQuery, validate, validQuery } from '../validation.js';
import { Page } from '../responses.js';
import type { Campaigns } from '../../campaigns/campaigns.js';
import { CampaignParams, CampaignView, CreateCampaignBody, UpdateCampaignBody } from '../../campaigns/schemas.js';

const ListCampaignsQuery = listQuery({ include_archived: Type.Optional(Type.Boolean({ default: false })) });
const COUPON_TAKEN = 'conflict: a coupon code belongs to another campaign of the workspace';
const UPDATE_CONFLICT = `${COUPON_TAKEN}, the campaign is archived and takes no codes, or its links need its destination_url`;

export function campaignRoutes(campaigns: Campaigns): Router {
  const router = newRouter('/api/campaigns');
  router.use(apiKeyAuth(), jsonBody());

  router.post('/', validate({ body: CreateCampaignBody, responses: { 201: CampaignView }, errors: { 409: COUPON_TAKEN } }), async (ctx) => {
    ctx.status = 201;
    ctx.body = await campaigns.create(ctx.state.workspaceId, ctx.request.body as CreateCampaignBody);
  });

  router.get('/', validate({ query: ListCampaignsQuery, responses: { 200: Page(CampaignView) } }), async (ctx) => {
    ctx.body = await campaigns.list(ctx.state.workspaceId, validQuery(ctx, ListCampaignsQuery));
  });

  router.get('/:id', validate({ params: CampaignParams, responses: { 200: CampaignView } }), async (ctx) => {
    ctx.body = await campaigns.get(ctx.state.workspaceId, ctx.params.id);
  });

  router.patch('/:id', validate({ params: CampaignParams, body: UpdateCampaignBody, responses: { 200: CampaignView }, errors: { 409: UPDATE_CONFLICT } }), async (ctx) => {
    ctx.body = await campaigns.update(ctx.state.workspaceId, ctx.params.id, ctx.request.body as UpdateCampaignBody);
  });

  router.delete('/:id', validate({ params: CampaignParams, responses: { 200: CampaignView } }), async (ctx) => {
    ctx.body = await campaigns.archive(ctx.state.workspaceId, ctx.params.id);
  });
  return router;
}
