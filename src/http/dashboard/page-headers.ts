import type { Context, Middleware } from 'koa';

/**
 * Every page: scripts and styles only from the service itself (no inline script, no CDN), no framing, no
 * referrer beyond the origin, and nothing cached that a shared computer could show the next person.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function pageHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    return next();
  };
}

/**
 * A page whose form answers with a redirect to another site (Connect Stripe → the provider's consent page): Chrome
 * checks `form-action` against every redirect of a submission, so that page names those origins too.
 */
export function allowFormRedirectsTo(ctx: Context, origins: string[]): void {
  if (origins.length === 0) return;
  ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY.replace("form-action 'self'", `form-action 'self' ${origins.join(' ')}`));
}
