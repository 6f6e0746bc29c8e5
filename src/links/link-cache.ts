import { TtlCache } from '../ttl-cache.js';
import { Link } from './models.js';
import { redirectTarget, type RedirectTarget } from './redirect-target.js';

interface CachedLink {
  target: RedirectTarget;
  campaignId: string;
}

/**
 * Slug → redirect target, kept in process so a click needs no database read. Changes invalidate it at once, here
 * and (through PostgreSQL notifications) on every other instance; the TTL bounds staleness if one is missed.
 * While the database is away, a link served before keeps redirecting from its cached target.
 */
export class LinkCache {
  private readonly cache: TtlCache<string, CachedLink>;

  constructor(options = { ttlMs: 60_000, missTtlMs: 5_000, maxEntries: 50_000, maxMisses: 10_000 }) {
    this.cache = new TtlCache(options);
  }

  /** The cached answer for a slug: a target, null for an unknown slug, undefined when it must be loaded. */
  peek(slug: string, now = Date.now()): RedirectTarget | null | undefined {
    const cached = this.cache.peek(slug, now);
    return cached === undefined ? undefined : (cached?.target ?? null);
  }

  /** Loads a slug (one database read however many clicks wait for it); the stale target if the database fails. */
  async load(slug: string): Promise<RedirectTarget | null> {
    const cached = await this.cache.get(slug, readLink);
    return cached?.target ?? null;
  }

  forgetSlug(slug: string): void {
    this.cache.delete(slug);
  }

  forgetCampaign(campaignId: string): void {
    this.cache.deleteWhere((cached) => cached.campaignId === campaignId);
  }

  forgetAll(): void {
    this.cache.clear();
  }
}

async function readLink(slug: string): Promise<CachedLink | null> {
  const link = await Link.query().findOne({ slug }).withGraphJoined('campaign');
  const destination = link && (link.destination_url ?? link.campaign?.destination_url);
  if (!link || !destination) return null;
  const gone = Boolean(link.archived_at || link.campaign?.archived_at);
  return { target: redirectTarget(link.id, destination, gone), campaignId: link.campaign_id };
}
