import { isbot } from 'isbot';
import { TtlCache } from '../ttl-cache.js';
import type { LinkCache } from '../links/link-cache.js';
import type { RedirectTarget } from '../links/redirect-target.js';
import type { ClickIds } from './click-id.js';
import type { ClickWriter } from './click-writer.js';

export interface Visit {
  method: string;
  ip: string | null;
  userAgent: string | undefined;
  referer: string | undefined;
  country: string | undefined;
  /** The Cookie header: `_syx_cid` and `_syx_fcid` from an earlier click on this tracker. */
  cookie: string | undefined;
}

export type ClickOutcome =
  | { kind: 'redirect'; location: string; clickId: string | null; firstClickId: string | null }
  | { kind: 'unknown_link' }
  | { kind: 'archived_link' };

const FIELD_LIMIT = 512;

/** The hot path: slug → redirect, minting a click id and queueing the click for a human visit. */
export class ClickTracker {
  constructor(private readonly deps: { cache: LinkCache; clickIds: ClickIds; writer: ClickWriter }) {}

  /** Synchronous when the link is cached (nearly always); a promise only when it must be loaded. */
  visit(slug: string, visit: Visit): ClickOutcome | Promise<ClickOutcome> {
    const target = this.deps.cache.peek(slug);
    if (target === undefined) return this.deps.cache.load(slug).then((loaded) => this.outcome(loaded, visit));
    return this.outcome(target, visit);
  }

  private outcome(target: RedirectTarget | null, visit: Visit): ClickOutcome {
    if (!target) return { kind: 'unknown_link' };
    if (target.gone) return { kind: 'archived_link' };
    // HEAD, bots and link previews are redirected without an id, so an unfurled URL never shares one click id.
    if (!isHumanVisit(visit)) return { kind: 'redirect', location: target.plain, clickId: null, firstClickId: null };

    const now = Date.now();
    const clickId = this.deps.clickIds.mint(target.linkId, now);
    const firstClickId = visit.cookie ? this.chainStart(visit.cookie, now) : null;
    this.deps.writer.record({
      id: clickId,
      linkId: target.linkId,
      workspaceId: target.workspaceId,
      campaignId: target.campaignId,
      firstClickId,
      at: new Date(now),
      ip: visit.ip,
      userAgent: truncate(visit.userAgent),
      referer: truncate(visit.referer),
      country: visit.country && /^[A-Za-z]{2}$/.test(visit.country) ? visit.country.toUpperCase() : null,
    });
    return { kind: 'redirect', location: target.before + clickId + target.after, clickId, firstClickId: firstClickId ?? clickId };
  }

  /**
   * The first click of the visitor's chain, from the cookies of their earlier click: verified by signature, no
   * database read. A `_syx_cid` older than 90 days (or not ours) begins a new chain with this click.
   */
  private chainStart(cookie: string, now: number): string | null {
    const last = cookieValue(cookie, '_syx_cid');
    const lastClaims = last ? this.deps.clickIds.verify(last) : null;
    if (!lastClaims || now - lastClaims.issuedAt.getTime() > CHAIN_MS) return null;
    const first = cookieValue(cookie, '_syx_fcid');
    const firstClaims = first ? this.deps.clickIds.verify(first) : null;
    return firstClaims && now - firstClaims.issuedAt.getTime() <= CHAIN_MS ? first : last;
  }
}

/** How long a click keeps a visitor's chain: the `_syx_cid` cookie's lifetime. */
const CHAIN_MS = 90 * 86_400_000;

function cookieValue(header: string, name: string): string | null {
  const start = header.indexOf(`${name}=`);
  if (start === -1 || (start > 0 && header[start - 1] !== ' ' && header[start - 1] !== ';')) return null;
  const end = header.indexOf(';', start);
  return header.slice(start + name.length + 1, end === -1 ? undefined : end).trim();
}

// Real traffic repeats a few thousand user agents: remember isbot's verdict instead of running its regex per click.
const verdicts = new TtlCache<string, boolean>({ ttlMs: Infinity, maxEntries: 5_000 });

function isHumanVisit(visit: Visit): boolean {
  const agent = visit.userAgent;
  if (visit.method !== 'GET' || !agent) return false;
  let human = verdicts.peek(agent);
  if (human === undefined || human === null) {
    human = !isbot(agent);
    verdicts.set(agent, human);
  }
  return human;
}

function truncate(value: string | undefined): string | null {
  if (!value) return null;
  return value.length > FIELD_LIMIT ? value.slice(0, FIELD_LIMIT) : value;
}
