import { timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Sessions, SignedIn } from '../../accounts/sessions.js';
import { forbidden } from '../../errors.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { field } from './form-body.js';

declare module 'koa' {
  interface DefaultState {
    /** The person the session cookie names, or null (dashboard routes only). */
    signedIn?: SignedIn | null;
  }
}

/** Reads the session cookie; a request without a working session carries on as nobody. */
export function readSession(sessions: Sessions): Middleware {
  return async (ctx, next) => {
    const token = readCookie(ctx, SESSION_COOKIE);
    ctx.state.signedIn = token && /^[A-Za-z0-9_-]{43}$/.test(token) ? await sessions.resolve(token) : null;
    return next();
  };
}

/** Pages need a session: a person without one is sent to sign in, and back here afterwards. */
export function requireSignIn(): Middleware {
  return (ctx, next) => {
    if (ctx.state.signedIn) return next();
    const back = ctx.method === 'GET' ? ctx.originalUrl : ctx.path;
    ctx.status = 303;
    ctx.redirect(back === '/app' ? '/login' : `/login?next=${encodeURIComponent(back)}`);
    return undefined;
  };
}

export function signedIn(ctx: Context): SignedIn {
  if (!ctx.state.signedIn) throw new Error('a dashboard route ran without requireSignIn()');
  return ctx.state.signedIn;
}

/**
 * CSRF: a state-changing request must come from one of the service's own pages: the browser's Origin (when it
 * sends one) is this service, the fetch is not cross-site, and a signed-in person's form carries the session's token.
 */
export function csrfProtection(publicUrl: string): Middleware {
  const publicOrigin = new URL(publicUrl).origin;
  return (ctx, next) => {
    if (ctx.method === 'GET' || ctx.method === 'HEAD') return next();
    const origin = ctx.get('origin');
    // Not ctx.origin: in Koa 3 that is the Origin header itself, so comparing with it let every site through.
    if (origin && origin !== publicOrigin && origin !== `${ctx.protocol}://${ctx.host}`) throw forbidden('This form was sent from another site, so nothing was changed.');
    if (ctx.get('sec-fetch-site') === 'cross-site') throw forbidden('This form was sent from another site, so nothing was changed.');
    const session = ctx.state.signedIn;
    if (session) {
      const given = Buffer.from(field(ctx.request.form, '_csrf'));
      const expected = Buffer.from(session.csrfToken);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw forbidden('This form has expired (or came from another page), so nothing was changed. Reload the page and try again.');
      }
    }
    return next();
  };
}
