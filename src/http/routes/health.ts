import type Router from '@koa/router';
import type { Knex } from 'knex';
import { newRouter } from '../router.js';
import type { ClickWriter } from '../../clicks/click-writer.js';

/**
 * `GET /healthz`: 200 when the database answers within 2 s, else 503 with `db: down`. While it is down, tracked
 * links keep redirecting and their clicks wait in memory: `clicks` says how many wait and how many were dropped
 * because the wait outgrew its bound.
 */
export function healthRoutes(db: Knex, clickWriter: ClickWriter): Router {
  const router = newRouter();
  router.get('/healthz', async (ctx) => {
    const up = await Promise.race([
      db.raw('select 1').then(() => true, () => false),
      new Promise<boolean>((resolve) => setTimeout(resolve, 2000, false).unref()),
    ]);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = up ? 200 : 503;
    const clicks = { pending: clickWriter.pendingCount, dropped: clickWriter.dropped };
    ctx.body = up ? { status: 'ok', db: 'ok', clicks } : { status: 'unavailable', db: 'down', clicks };
  });
  return router;
}
