import type { Middleware } from 'koa';
import { AppError } from '../../errors.js';
import { sqlState } from '../../db/errors.js';
import type { Logger } from '../../logger.js';

/** The one place where anything thrown becomes the API's error shape; unknown errors leak nothing. */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError(404, 'not_found', `Nothing answers ${ctx.method} ${ctx.path}.`);
      }
      // The router's allowedMethods() answers 405 and 501 without a body; give them the API's error shape too.
      if (ctx.status === 405 && ctx.body === undefined) {
        throw new AppError(405, 'method_not_allowed', `${ctx.path} does not answer ${ctx.method}; it answers ${ctx.response.get('Allow')}.`);
      }
      if (ctx.status === 501 && ctx.body === undefined) {
        throw new AppError(501, 'not_implemented', `The method ${ctx.method} is not supported.`);
      }
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.status >= 500) {
        logger.error({ err: thrown, req_id: ctx.state.requestId, method: ctx.method, path: ctx.path }, 'request failed');
      }
      ctx.status = error.status;
      ctx.body = {
        error: { code: error.code, message: error.message, ...(error.details.length ? { details: error.details } : {}) },
      };
    }
  };
}

function toAppError(thrown: unknown): AppError {
  if (thrown instanceof AppError) return thrown;
  const state = sqlState(thrown);
  if (state === '23505') return new AppError(409, 'conflict', 'That conflicts with something that already exists.');
  if (state === '23503') return new AppError(400, 'validation_failed', 'The request refers to something that does not exist.');
  if (state === '23502' || state === '23514' || state?.startsWith('22')) {
    return new AppError(400, 'validation_failed', 'The database refused a value in the request as invalid.');
  }
  if (state?.startsWith('08') || state === '57P01' || isConnectionError(thrown)) {
    return new AppError(503, 'unavailable', 'The database is not answering; try again shortly.');
  }
  const status = (thrown as { status?: number })?.status;
  if (status === 413) return new AppError(413, 'payload_too_large', 'The request body is larger than 1 MB.');
  return new AppError(500, 'internal', 'Something went wrong on our side; it has been logged.');
}

function isConnectionError(thrown: unknown): boolean {
  const code = (thrown as { code?: string })?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || (thrown as Error)?.name === 'KnexTimeoutError';
}
