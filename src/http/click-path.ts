import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { ClickTracker, ClickOutcome } from '../clicks/click-tracker.js';
import type { Logger } from '../logger.js';

const COUNTRY_HEADERS = ['cf-ipcountry', 'x-vercel-ip-country', 'cloudfront-viewer-country', 'x-country-code'];
const SLUG = /^\/c\/([A-Za-z0-9_-]{1,64})\/?(?:\?.*)?$/;

/**
 * `GET /c/:slug`, the hot path, served straight on Node's request and response before Koa: a click costs a
 * cache lookup, an HMAC and an array push, without a Koa context, router match or middleware chain around it.
 * Returns false for anything that is not a click, which Koa then serves.
 */
export function clickPath(tracker: ClickTracker, options: { secureCookie: boolean; trustProxy: boolean; logger: Logger }) {
  const cookieSuffix = `; Path=/; Max-Age=7776000; SameSite=Lax${options.secureCookie ? '; Secure' : ''}`;
  // Request ids on the hot path: a per-process prefix and a counter, unique without asking for entropy per click.
  const idPrefix = randomBytes(6).toString('base64url');
  let sequence = 0;

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const match = SLUG.exec(req.url ?? '');
    if (!match) return false;
    const requestId = `${idPrefix}-${(sequence++).toString(36)}`;
    const visit = {
      method: req.method,
      ip: clientIp(req, options.trustProxy),
      userAgent: req.headers['user-agent'],
      referer: req.headers.referer,
      country: countryOf(req.headers),
      cookie: req.headers.cookie,
    };
    const answer = (outcome: ClickOutcome) => respond(res, outcome, requestId, cookieSuffix, req.headers.accept);
    try {
      const outcome = tracker.visit(match[1], visit);
      if (outcome instanceof Promise) {
        outcome.then(answer, (error) => fail(res, requestId, error, options.logger));
      } else {
        answer(outcome);
      }
    } catch (error) {
      fail(res, requestId, error, options.logger);
    }
    return true;
  };
}

function respond(res: ServerResponse, outcome: ClickOutcome, requestId: string, cookieSuffix: string, accept: string | undefined): void {
  if (outcome.kind === 'redirect') {
    const headers: Record<string, string> = { 'X-Request-Id': requestId, 'Cache-Control': 'no-store', Location: outcome.location };
    res.writeHead(302, outcome.clickId ? { ...headers, 'Set-Cookie': clickCookies(outcome.clickId, outcome.firstClickId, cookieSuffix) } : headers);
    res.end();
    return;
  }
  const status = outcome.kind === 'unknown_link' ? 404 : 410;
  const message = status === 404 ? 'This link does not exist.' : 'This link has been retired.';
  const wantsJson = Boolean(accept?.includes('application/json')) && !accept?.includes('text/html');
  const body = wantsJson
    ? JSON.stringify({ error: { code: status === 404 ? 'not_found' : 'gone', message } })
    : `<!doctype html><meta charset="utf-8"><title>${status}</title><p>${message}</p>`;
  res.writeHead(status, {
    'X-Request-Id': requestId,
    'Cache-Control': 'no-store',
    'Content-Type': wantsJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** `_syx_cid`, this click; `_syx_fcid`, the first click of the visitor's chain (this one when it begins one). */
function clickCookies(clickId: string, firstClickId: string | null, cookieSuffix: string): string[] {
  return [`_syx_cid=${clickId}${cookieSuffix}`, `_syx_fcid=${firstClickId ?? clickId}${cookieSuffix}`];
}

function fail(res: ServerResponse, requestId: string, error: unknown, logger: Logger): void {
  logger.error({ err: error, req_id: requestId }, 'click failed');
  const body = JSON.stringify({ error: { code: 'unavailable', message: 'The link could not be looked up; try again shortly.' } });
  res.writeHead(503, { 'X-Request-Id': requestId, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}

function clientIp(req: IncomingMessage, trustProxy: boolean): string | null {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  if (typeof forwarded === 'string') return forwarded.split(',')[0].trim();
  return req.socket.remoteAddress ?? null;
}

function countryOf(headers: IncomingMessage['headers']): string | undefined {
  for (const name of COUNTRY_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}
