import { TtlCache } from '../ttl-cache.js';
import type { CacheBus } from '../db/cache-bus.js';
import { Link } from './models.js';

export interface LinkOwner {
  workspace_id: string;
  campaign_id: string;
}

/**
 * Link id → its workspace and campaign, so attributing a click id needs no database read per sale. A link moved
 * to another campaign is forgotten at once (on every instance, through notifications); the TTL bounds staleness.
 */
export class LinkOwners {
  private readonly cache: TtlCache<string, LinkOwner>;

  constructor(
    private readonly bus: CacheBus | null = null,
    options = { ttlMs: 60_000, missTtlMs: 5_000, maxEntries: 50_000 },
  ) {
    this.cache = new TtlCache(options);
    bus?.subscribe('link', (id) => (id === '*' ? this.cache.expireAll() : this.cache.delete(id)));
  }

  get(linkId: string): Promise<LinkOwner | null> {
    return this.cache.get(linkId, async () => {
      const link = await Link.query().findById(linkId).select('workspace_id', 'campaign_id');
      return link ? { workspace_id: link.workspace_id, campaign_id: link.campaign_id } : null;
    });
  }

  /** A link moved to another campaign: forgotten here and on every other instance. */
  forget(linkId: string): void {
    this.cache.delete(linkId);
    this.bus?.publish('link', linkId);
  }
}
