/** Longest URL accepted anywhere (destinations, return URLs): browsers and proxies start failing past a few kB. */
export const MAX_URL_LENGTH = 2048;

// No whitespace or control characters anywhere: the URL parser would silently drop tabs and newlines.
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f\u2028\u2029]/;
const ABSOLUTE_HTTP = /^https?:\/\//i;

/**
 * The one rule for an absolute http(s) URL a visitor's browser will be sent to: it parses with the WHATWG URL
 * parser (as the redirect later does), says http or https with `//`, names a host, carries no user name or
 * password, and has a port in 1..65535. Returns what is wrong, or null. Linear in the length, so no input can
 * stall the event loop (a regular expression with two overlapping classes did, on 150 kB).
 */
export function httpUrlProblem(value: string): string | null {
  if (value.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  if (!ABSOLUTE_HTTP.test(value)) return 'must be an absolute http(s) URL';
  if (CONTROL_OR_SPACE.test(value)) return 'must not contain spaces or control characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a valid URL';
  }
  if (!url.hostname || /^\.*$/.test(url.hostname)) return 'must name a host';
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.port === '0') return 'must have a port between 1 and 65535';
  return null;
}

export const isHttpUrl = (value: string) => httpUrlProblem(value) === null;
