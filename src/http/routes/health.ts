import type Router from '@koa/router';
import type { Knex } from 'knex';
import { Type, type Static } from '@sinclair/typebox';
import { newRouter } from '../router.js';
import { documented } from '../validation.js';
import type { ClickWriter } from '../../clicks/click-writer.js';

/**
 * `GET /healthz`: 200 when the database answers within 2 s, else 503 with `db: down`. While it is down, tracked
 * links keep redirecting and their clicks wait in memory: `clicks` says how many wait and how many were dropped
 * because the wait outgrew its bound.
 */
/** What /healthz answers: up (200) or with the database away (503); clicks keep redirecting either way. */
const health = <S extends string, D extends string>(status: S, db: D, description: string) =>
  Type.Object(
    {
      status: Type.Literal(status),
      db: Type.Literal(db),
      clicks: Type.Object(
        {
          pending: Type.Integer({ minimum: 0, description: 'Clicks waiting in memory to be written' }),
          dropped: Type.Integer({ minimum: 0, description: 'Clicks dropped since start because the wait outgrew its bound' }),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false, description },
  );
const Healthy = health('ok', 'ok', 'The database answers');
const Unhealthy = health('unavailable', 'down', 'The database did not answer within 2 s');

export function healthRoutes(db: Knex, clickWriter: ClickWriter): Router {
  const router = newRouter();
  router.get('/healthz', documented({ responses: { 200: Healthy, 503: Unhealthy } }), async (ctx) => {
    const up = await Promise.race([
      db.raw('select 1').then(() => true, () => false),
      new Promise<boolean>((resolve) => setTimeout(resolve, 2000, false).unref()),
    ]);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = up ? 200 : 503;
    const clicks = { pending: clickWriter.pendingCount, dropped: clickWriter.dropped };
    ctx.body = (up ? { status: 'ok', db: 'ok', clicks } : { status: 'unavailable', db: 'down', clicks }) satisfies Static<typeof Healthy> | Static<typeof Unhealthy>;
  });
  return router;
}
