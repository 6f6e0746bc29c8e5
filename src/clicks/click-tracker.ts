import { isbot } from 'isbot';
import type { LinkCache } from '../links/link-cache.js';
import type { ClickIds } from './click-id.js';
import type { ClickWriter } from './click-writer.js';

export interface Visit {
  method: string;
  ip: string | null;
  userAgent: string | undefined;
  referer: string | undefined;
  country: string | undefined;
}

export type ClickOutcome =
  | { kind: 'redirect'; location: string; clickId: string | null }
  | { kind: 'unknown_link' }
  | { kind: 'archived_link' };

const FIELD_LIMIT = 512;

/** The hot path: slug → redirect, minting a click id and queueing the click for a human visit. */
export class ClickTracker {
  constructor(private readonly deps: { cache: LinkCache; clickIds: ClickIds; writer: ClickWriter }) {}

  async visit(slug: string, visit: Visit): Promise<ClickOutcome> {
    const { cache } = this.deps;
    const target = cache.peek(slug) ?? (await cache.load(slug));
    if (!target) return { kind: 'unknown_link' };
    if (target.gone) return { kind: 'archived_link' };
    // HEAD, bots and link previews are redirected without an id, so an unfurled URL never shares one click id.
    if (!isHumanVisit(visit)) return { kind: 'redirect', location: target.plain, clickId: null };

    const now = Date.now();
    const clickId = this.deps.clickIds.mint(target.linkId, now);
    this.deps.writer.record({
      id: clickId,
      linkId: target.linkId,
      at: new Date(now),
      ip: visit.ip,
      userAgent: truncate(visit.userAgent),
      referer: truncate(visit.referer),
      country: visit.country && /^[A-Za-z]{2}$/.test(visit.country) ? visit.country.toUpperCase() : null,
    });
    return { kind: 'redirect', location: target.before + clickId + target.after, clickId };
  }
}

function isHumanVisit(visit: Visit): boolean {
  return visit.method === 'GET' && Boolean(visit.userAgent) && !isbot(visit.userAgent);
}

function truncate(value: string | undefined): string | null {
  if (!value) return null;
  return value.length > FIELD_LIMIT ? value.slice(0, FIELD_LIMIT) : value;
}
