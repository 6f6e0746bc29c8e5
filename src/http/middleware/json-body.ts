import type { Middleware } from 'koa';
import { invalidJson, unsupportedMediaType } from '../http-errors.js';
import { readBody } from '../body.js';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body; routes read it only after validate() has checked it. */
    body?: unknown;
  }
}

/** Parses a JSON request body (≤ 1 MB). Wrong content type → 415, too large → 413, malformed → 400. */
export function jsonBody(): Middleware {
  return async (ctx, next) => {
    if (!hasBody(ctx.req.headers)) return next();
    if (!ctx.is('application/json')) throw unsupportedMediaType('application/json');
    const raw = (await readBody(ctx)).toString('utf8');
    try {
      ctx.request.body = raw.trim() === '' ? undefined : JSON.parse(raw);
    } catch {
      throw invalidJson();
    }
    return next();
  };
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}
