import type { Middleware } from 'koa';
import getRawBody from 'raw-body';
import { invalidJson, payloadTooLarge, unreadableBody, unsupportedMediaType } from '../http-errors.js';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body; routes read it only after validate() has checked it. */
    body?: unknown;
  }
}

const LIMIT = '1mb';

/** Parses a JSON request body (≤ 1 MB). Wrong content type → 415, too large → 413, malformed → 400. */
export function jsonBody(): Middleware {
  return async (ctx, next) => {
    if (!hasBody(ctx.req.headers)) return next();
    if (!ctx.is('application/json')) throw unsupportedMediaType('application/json');
    let raw: string;
    try {
      raw = await getRawBody(ctx.req, { limit: LIMIT, encoding: 'utf8', length: ctx.get('content-length') || undefined });
    } catch (error) {
      if ((error as { type?: string }).type === 'entity.too.large') throw payloadTooLarge('1 MB');
      throw unreadableBody();
    }
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
