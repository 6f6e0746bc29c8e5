import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { unauthorized } from '../../errors.js';
import { workspaceForKey } from '../../workspaces/api-keys.js';

function bearer(header: string): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

/** A workspace API key; the workspace it belongs to becomes ctx.state.workspaceId. */
export function apiKeyAuth(): Middleware {
  return async (ctx, next) => {
    const key = bearer(ctx.get('authorization'));
    const workspaceId = key && (await workspaceForKey(key));
    if (!workspaceId) throw unauthorized();
    ctx.state.workspaceId = workspaceId;
    return next();
  };
}

/** The operator's SYX_ADMIN_TOKEN, compared in constant time. */
export function adminAuth(adminToken: string): Middleware {
  const expected = createHash('sha256').update(adminToken).digest();
  return (ctx, next) => {
    const token = bearer(ctx.get('authorization'));
    const given = createHash('sha256').update(token ?? '').digest();
    if (!token || !timingSafeEqual(given, expected)) {
      throw unauthorized('This endpoint needs the admin token: send "Authorization: Bearer $SYX_ADMIN_TOKEN".');
    }
    return next();
  };
}
