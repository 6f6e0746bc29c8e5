import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { payloadTooLarge, requestTimeout, unreadableBody } from './http-errors.js';

declare module 'koa' {
  interface DefaultContext {
    /** How long a request body may take to arrive (SYX_BODY_TIMEOUT_MS), set once on app.context. */
    bodyTimeoutMs: number;
  }
}

/** Every body the service reads: at most 1 MB. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Reads a request's body: 413 past 1 MB, 408 when it does not arrive in time (a client sending a byte now and
 * then would otherwise hold a connection and a buffer for minutes), 400 when the client gives up halfway.
 */
export async function readBody(ctx: Context): Promise<Buffer> {
  const timeoutMs = ctx.bodyTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const reading = getRawBody(ctx.req, { limit: BODY_LIMIT_BYTES, length: ctx.get('content-length') || undefined });
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(requestTimeout(Math.ceil(timeoutMs / 1000))), timeoutMs);
  });
  try {
    return await Promise.race([reading, expired]);
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw payloadTooLarge('1 MB');
    if ((error as { status?: number }).status === 408) {
      reading.catch(() => {}); // it fails once the connection closes after the 408
      throw error;
    }
    throw unreadableBody();
  } finally {
    clearTimeout(timer);
  }
}
