import type { Middleware } from 'koa';
import { DomainError, type ErrorDetail, type ErrorKind } from '../../errors.js';
import { isDatabaseUnavailable, sqlState } from '../../db/errors.js';
import type { Logger } from '../../logger.js';
import { HttpError, methodNotAllowed, payloadTooLarge, routeNotFound } from '../http-errors.js';

/** The one table from a domain error's kind to an HTTP status. */
const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  unprocessable: 422,
  rate_limited: 429,
  provider_failed: 502,
  unavailable: 503,
};

interface Answer {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
  headers?: Record<string, string>;
}

/** The one place where anything thrown becomes the API's error shape; unknown errors leak nothing. */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body !== undefined && ctx.body !== null) return;
      if (ctx.status === 404) throw routeNotFound(ctx.method, ctx.path);
      // The router answers 405 and 501 without a body. A method no route takes (TRACE, PROPFIND...) is a 405 where
      // the path exists, and a 404 where nothing does, as for any other method.
      const allow = ctx.response.get('Allow');
      if (ctx.status === 405 || ctx.status === 501) {
        throw allow ? methodNotAllowed(ctx.method, ctx.path, allow) : routeNotFound(ctx.method, ctx.path);
      }
    } catch (thrown) {
      const answer = answerFor(thrown);
      if (answer.status >= 500 && answer.status !== 503) {
        logger.error({ err: thrown, req_id: ctx.state.requestId, method: ctx.method, path: ctx.path }, 'request failed');
      }
      ctx.status = answer.status;
      ctx.set(answer.headers ?? {});
      ctx.body = { error: { code: answer.code, message: answer.message, ...(answer.details?.length ? { details: answer.details } : {}) } };
    }
  };
}

/** What the client is told for anything thrown. */
export function answerFor(thrown: unknown): Answer {
  if (thrown instanceof DomainError) {
    const headers = thrown.retryAfterSeconds !== undefined ? { 'Retry-After': String(thrown.retryAfterSeconds) } : undefined;
    return { status: STATUS[thrown.kind], code: thrown.code, message: thrown.message, details: thrown.details, headers };
  }
  if (thrown instanceof HttpError) return { status: thrown.status, code: thrown.code, message: thrown.message, headers: thrown.headers };
  if (isDatabaseUnavailable(thrown)) {
    return { status: 503, code: 'unavailable', message: 'The database is not answering; try again shortly.', headers: { 'Retry-After': '5' } };
  }
  const state = sqlState(thrown);
  if (state === '23505') return { status: 409, code: 'conflict', message: 'That conflicts with something that already exists.' };
  if (state === '23503') return { status: 400, code: 'validation_failed', message: 'The request refers to something that does not exist.' };
  if (state === '23502' || state === '23514' || state?.startsWith('22')) {
    return { status: 400, code: 'validation_failed', message: 'The database refused a value in the request as invalid.' };
  }
  const status = (thrown as { status?: number })?.status;
  if (status === 413) {
    const error = payloadTooLarge('1 MB');
    return { status: 413, code: error.code, message: error.message };
  }
  return { status: 500, code: 'internal', message: 'Something went wrong on our side; it has been logged.' };
}
