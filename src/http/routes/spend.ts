import type Router from '@koa/router';
import { newRouter } from '../router.js';
import { apiKeyAuth } from '../middleware/auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { validate, validQuery } from '../validation.js';
import type { CampaignSpend } from '../../campaigns/spend.js';
import { CampaignParams } from '../../campaigns/schemas.js';
import { SpendBody, SpendQuery } from '../../campaigns/spend-schemas.js';
import { CampaignSpendView } from '../../campaigns/schemas.js';

/** `PUT/GET /api/campaigns/:id/spend`: what a campaign cost per day and currency. */
export function spendRoutes(spend: CampaignSpend): Router {
  const router = newRouter('/api/campaigns');
  router.use(apiKeyAuth(), jsonBody());
  router.put('/:id/spend', validate({ params: CampaignParams, body: SpendBody, responses: { 200: CampaignSpendView } }), async (ctx) => {
    ctx.body = await spend.put(ctx.state.workspaceId, ctx.params.id, ctx.request.body as SpendBody);
  });
  router.get('/:id/spend', validate({ params: CampaignParams, query: SpendQuery, responses: { 200: CampaignSpendView } }), async (ctx) => {
    ctx.body = await spend.list(ctx.state.workspaceId, ctx.params.id, validQuery(ctx, SpendQuery));
  });
  return router;
}
