import type Router from '@koa/router';
import { newRouter } from '../router.js';
import type { Knex } from 'knex';

export function healthRoutes(db: Knex): Router {
  const router = newRouter();
  router.get('/healthz', async (ctx) => {
    const up = await Promise.race([
      db.raw('select 1').then(() => true, () => false),
      new Promise<boolean>((resolve) => setTimeout(resolve, 2000, false).unref()),
    ]);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = up ? 200 : 503;
    ctx.body = up ? { status: 'ok', db: 'ok' } : { status: 'unavailable', db: 'down' };
  });
  return router;
}
