import type { Middleware } from 'koa';
import { invalidJson, tooComplex, unsupportedMediaType } from '../http-errors.js';
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
    if (!withinShape(raw)) throw tooComplex();
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

/** No request of the API nests deeper or holds more objects and arrays: the largest, a spend upload, holds a few hundred. */
const MAX_DEPTH = 16;
const MAX_CONTAINERS = 5_000;

/**
 * One pass over the text before it is parsed: a megabyte of `[[[[` costs JSON.parse about 30 MB of heap and ajv
 * an error per element, so such a body is refused first. String contents are skipped.
 */
function withinShape(text: string): boolean {
  let depth = 0;
  let containers = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH || ++containers > MAX_CONTAINERS) return false;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return true;
}
