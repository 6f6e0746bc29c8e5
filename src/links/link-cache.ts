import { Link } from './models.js';
import { redirectTarget, type RedirectTarget } from './redirect-target.js';

interface Entry {
  target: RedirectTarget | null;
  campaignId: string | null;
  expiresAt: number;
}

/**
 * Slug → redirect target, kept in process so a click needs no database read. Changes made through this
 * process invalidate at once; the TTL bounds staleness when another instance changed a link.
 */
export class LinkCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation, so a load that raced one does not store what it read before. */
  private generation = 0;

  constructor(private readonly options = { ttlMs: 60_000, missTtlMs: 5_000, maxEntries: 50_000 }) {}

  /** The cached answer for a slug: a target, null for an unknown slug, undefined when not cached. */
  peek(slug: string, now = Date.now()): RedirectTarget | null | undefined {
    const entry = this.entries.get(slug);
    if (entry === undefined || entry.expiresAt < now) return undefined;
    return entry.target;
  }

  async load(slug: string): Promise<RedirectTarget | null> {
    const generation = this.generation;
    const link = await Link.query().findOne({ slug }).withGraphJoined('campaign');
    const destination = link && (link.destination_url ?? link.campaign?.destination_url);
    const gone = Boolean(link?.archived_at || link?.campaign?.archived_at);
    const target = link && destination ? redirectTarget(link.id, destination, gone) : null;
    if (generation === this.generation) this.remember(slug, target, link?.campaign_id ?? null);
    return target;
  }

  forgetSlug(slug: string): void {
    this.generation++;
    this.entries.delete(slug);
  }

  forgetCampaign(campaignId: string): void {
    this.generation++;
    for (const [slug, entry] of this.entries) {
      if (entry.campaignId === campaignId) this.entries.delete(slug);
    }
  }

  private remember(slug: string, target: RedirectTarget | null, campaignId: string | null): void {
    if (this.entries.size >= this.options.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      this.entries.delete(this.entries.keys().next().value!);
    }
    const ttl = target ? this.options.ttlMs : this.options.missTtlMs;
    this.entries.set(slug, { target, campaignId, expiresAt: Date.now() + ttl });
  }
}
