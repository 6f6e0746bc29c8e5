import { Link } from './models.js';

export interface LinkOwner {
  workspace_id: string;
  campaign_id: string;
}

interface Entry {
  owner: LinkOwner | null;
  expiresAt: number;
}

/**
 * Link id → its workspace and campaign, so attributing a click id needs no database read per sale. A link
 * moved to another campaign through this process is forgotten at once; the TTL bounds staleness when another
 * instance moved it, as for LinkCache.
 */
export class LinkOwners {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation, so a load that raced one does not store what it read before. */
  private generation = 0;

  constructor(private readonly options = { ttlMs: 60_000, missTtlMs: 5_000, maxEntries: 50_000 }) {}

  async get(linkId: string): Promise<LinkOwner | null> {
    const entry = this.entries.get(linkId);
    if (entry && entry.expiresAt > Date.now()) return entry.owner;
    const generation = this.generation;
    const link = await Link.query().findById(linkId).select('workspace_id', 'campaign_id');
    const owner = link ? { workspace_id: link.workspace_id, campaign_id: link.campaign_id } : null;
    if (generation === this.generation) this.remember(linkId, owner);
    return owner;
  }

  forget(linkId: string): void {
    this.generation++;
    this.entries.delete(linkId);
  }

  private remember(linkId: string, owner: LinkOwner | null): void {
    if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    const ttl = owner ? this.options.ttlMs : this.options.missTtlMs;
    this.entries.set(linkId, { owner, expiresAt: Date.now() + ttl });
  }
}
