import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

const ACCEPTABLE = /^[A-Za-z0-9._-]{8,128}$/;

/** Every response carries X-Request-Id (the caller's, when it sent a sane one), and so do its log lines. */
export function requestId(): Middleware {
  return (ctx, next) => {
    const given = ctx.get('x-request-id');
    const id = ACCEPTABLE.test(given) ? given : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    return next();
  };
}
