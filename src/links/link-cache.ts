import { TtlCache } from '../ttl-cache.js';
import type { CacheBus } from '../db/cache-bus.js';
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

  constructor(
    private readonly bus: CacheBus | null = null,
    options = { ttlMs: 60_000, missTtlMs: 5_000, maxEntries: 50_000, maxMisses: 10_000 },
  ) {
    this.cache = new TtlCache(options);
    bus?.subscribe('slug', (slug) => (slug === '*' ? this.cache.expireAll() : this.cache.delete(slug)));
    bus?.subscribe('campaign', (id) => (id === '*' ? this.cache.expireAll() : this.dropCampaign(id)));
  }

  /**
   * The answer for a slug without waiting: a target, null for an unknown slug, undefined when it must be loaded.
   * An expired answer is still given, and a reload starts behind it: the click that finds a link expired does not
   * wait for the database, nor do the clicks while the database is away.
   */
  peek(slug: string, now = Date.now()): RedirectTarget | null | undefined {
    const cached = this.cache.peek(slug, now);
    if (cached !== undefined) return cached?.target ?? null;
    const stale = this.cache.stale(slug);
    if (stale === undefined) return undefined;
    this.load(slug).catch(() => {}); // the stale answer stays until a load succeeds
    return stale?.target ?? null;
  }

  /** Loads a slug (one database read however many clicks wait for it); the stale target if the database fails. */
  async load(slug: string): Promise<RedirectTarget | null> {
    const cached = await this.cache.get(slug, readLink);
    return cached?.target ?? null;
  }

  /** A link changed here: forgotten at once, and on every other instance. */
  forgetSlug(slug: string): void {
    this.cache.delete(slug);
    this.bus?.publish('slug', slug);
  }

  /** A campaign's destination or state changed: its links are forgotten here and on every other instance. */
  forgetCampaign(campaignId: string): void {
    this.dropCampaign(campaignId);
    this.bus?.publish('campaign', campaignId);
  }

  private dropCampaign(campaignId: string): void {
    this.cache.deleteWhere((cached) => cached.campaignId === campaignId);
  }
}

async function readLink(slug: string): Promise<CachedLink | null> {
  const link = await Link.query().findOne({ slug }).withGraphJoined('campaign');
  const destination = link && (link.destination_url ?? link.campaign?.destination_url);
  if (!link || !destination) return null;
  const gone = Boolean(link.archived_at || link.campaign?.archived_at);
  return { target: redirectTarget(link, destination, gone), campaignId: link.campaign_id };
}
