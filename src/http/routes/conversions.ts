import type Router from '@koa/router';
import { newRouter } from '../router.js';
import { apiKeyAuth } from '../middleware/auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { listQuery, validate, validQuery } from '../validation.js';
import type { Conversions } from '../../conversions/conversions.js';
import { ConversionFilters, CreateConversionBody } from '../../conversions/schemas.js';

const ListConversionsQuery = listQuery(ConversionFilters);

export function conversionRoutes(conversions: Conversions): Router {
  const router = newRouter('/api/conversions');
  router.use(apiKeyAuth(), jsonBody());

  router.post('/', validate({ body: CreateConversionBody }), async (ctx) => {
    const { created, conversion } = await conversions.record(ctx.state.workspaceId, ctx.request.body as CreateConversionBody);
    ctx.status = created ? 201 : 200;
    ctx.body = conversion;
  });

  router.get('/', validate({ query: ListConversionsQuery }), async (ctx) => {
    ctx.body = await conversions.list(ctx.state.workspaceId, validQuery(ctx, ListConversionsQuery));
  });
  return router;
}
