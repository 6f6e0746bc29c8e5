import { TtlCache } from '../ttl-cache.js';

export interface BadDeliveryBounds {
  /** Bad-signature deliveries one source, or one sender IP, may make per window before they are answered 429. */
  perWindow: number;
  windowMs: number;
}

interface Window {
  start: number;
  count: number;
  /** When this key last wrote a log row; null before its first. */
  loggedAt: number | null;
  /** Bad deliveries since that row that got none of their own. */
  unlogged: number;
}

export type BadDeliveryVerdict =
  | { action: 'log'; unlogged: number; since: number | null }
  | { action: 'quiet' }
  | { action: 'refuse'; retryAfterSeconds: number };

/**
 * What anyone on the internet can make the webhook endpoints write is bounded: a delivery with a bad signature
 * leaves one log row per source per window (the next row says how many were not logged one by one), and past
 * `perWindow` from one source or one sender it is answered 429. A genuine delivery is never refused: the bounds
 * apply only once its signature failed, so a flood of forgeries cannot keep a provider's events out.
 */
export class BadDeliveries {
  private readonly windows: TtlCache<string, Window>;

  constructor(private readonly bounds: BadDeliveryBounds = { perWindow: 60, windowMs: 60_000 }) {
    this.windows = new TtlCache({ ttlMs: 10 * bounds.windowMs, maxEntries: 10_000 });
  }

  record(sourceKey: string, ip: string, now = Date.now()): BadDeliveryVerdict {
    const source = this.count(`source ${sourceKey}`, now);
    const sender = this.count(`ip ${ip}`, now);
    if (source.count > this.bounds.perWindow || sender.count > this.bounds.perWindow) {
      source.unlogged++;
      const resets = Math.min(source.count > this.bounds.perWindow ? source.start : Infinity, sender.count > this.bounds.perWindow ? sender.start : Infinity);
      return { action: 'refuse', retryAfterSeconds: Math.max(1, Math.ceil((resets + this.bounds.windowMs - now) / 1000)) };
    }
    if (source.loggedAt !== null && now - source.loggedAt < this.bounds.windowMs) {
      source.unlogged++;
      return { action: 'quiet' };
    }
    const verdict = { action: 'log' as const, unlogged: source.unlogged, since: source.loggedAt };
    source.loggedAt = now;
    source.unlogged = 0;
    return verdict;
  }

  private count(key: string, now: number): Window {
    let window = this.windows.peek(key, now);
    if (!window) {
      window = { start: now, count: 0, loggedAt: null, unlogged: 0 };
      this.windows.set(key, window, now);
    }
    if (now - window.start >= this.bounds.windowMs) {
      window.start = now;
      window.count = 0;
    }
    window.count++;
    return window;
  }
}

/** The detail of a bad delivery's log row, with the ones before it that were not logged one by one. */
export function badDeliveryDetail(reason: string, verdict: { unlogged: number; since: number | null }): string {
  if (verdict.unlogged === 0 || verdict.since === null) return reason;
  return `${reason} (and ${verdict.unlogged} more invalid deliveries since ${new Date(verdict.since).toISOString()}, not logged one by one)`;
}
