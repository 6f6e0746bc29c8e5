import { TtlCache } from '../ttl-cache.js';
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

  constructor(options = { ttlMs: 60_000, missTtlMs: 5_000, maxEntries: 50_000 }) {
    this.cache = new TtlCache(options);
  }

  get(linkId: string): Promise<LinkOwner | null> {
    return this.cache.get(linkId, async () => {
      const link = await Link.query().findById(linkId).select('workspace_id', 'campaign_id');
      return link ? { workspace_id: link.workspace_id, campaign_id: link.campaign_id } : null;
    });
  }

  forget(linkId: string): void {
    this.cache.delete(linkId);
  }

  forgetAll(): void {
    this.cache.clear();
  }
}
