import type Router from '@koa/router';
import { newRouter } from '../router.js';
import { apiKeyAuth } from '../middleware/auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { listQuery, validate, validQuery } from '../validation.js';
import { Page } from '../responses.js';
import type { Conversions } from '../../conversions/conversions.js';
import { ConversionFilters, ConversionView, CreateConversionBody } from '../../conversions/schemas.js';

const ListConversionsQuery = listQuery(ConversionFilters);

export function conversionRoutes(conversions: Conversions): Router {
  const router = newRouter('/api/conversions');
  router.use(apiKeyAuth(), jsonBody());

  router.post('/', validate({
    body: CreateConversionBody,
    responses: { 200: { description: 'The order was recorded already, with this amount and currency', content: { 'application/json': ConversionView } }, 201: ConversionView },
    errors: { 409: 'conflict: the order was recorded with another amount or currency (details name them)', 422: 'invalid_click_id: not a click id this workspace issued' },
  }), async (ctx) => {
    const { created, conversion } = await conversions.record(ctx.state.workspaceId, ctx.request.body as CreateConversionBody);
    ctx.status = created ? 201 : 200;
    ctx.body = conversion;
  });

  router.get('/', validate({ query: ListConversionsQuery, responses: { 200: Page(ConversionView) } }), async (ctx) => {
    ctx.body = await conversions.list(ctx.state.workspaceId, validQuery(ctx, ListConversionsQuery));
  });
  return router;
}
