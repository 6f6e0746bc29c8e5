import { Source } from './models.js';

/**
 * Sources by id for the webhook path, so a delivery does not read its source row every time. Changes made
 * through this process are forgotten at once; the short TTL bounds staleness when another instance changed one.
 */
export class SourceCache {
  private readonly entries = new Map<string, { source: Source | null; expiresAt: number }>();
  private readonly accounts = new Map<string, { source: Source; expiresAt: number }>();

  constructor(private readonly ttlMs = 10_000) {}

  async get(id: string): Promise<Source | null> {
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt > Date.now()) return entry.source;
    const source = (await Source.query().findById(id)) ?? null;
    if (this.entries.size >= 10_000) this.entries.clear();
    this.entries.set(id, { source, expiresAt: Date.now() + this.ttlMs });
    return source;
  }

  /**
   * The connected Stripe Connect source of an account, for the platform's Connect endpoint. A miss is not kept:
   * an event for an account no source holds is answered once and not retried, so a new connection counts at once.
   */
  async connected(accountId: string): Promise<Source | null> {
    const entry = this.accounts.get(accountId);
    if (entry && entry.expiresAt > Date.now()) return entry.source;
    const source = await Source.query()
      .findOne({ provider: 'stripe', mode: 'oauth', account_id: accountId })
      .whereNot('status', 'disconnected');
    if (!source) return null;
    if (this.accounts.size >= 10_000) this.accounts.clear();
    this.accounts.set(accountId, { source, expiresAt: Date.now() + this.ttlMs });
    return source;
  }

  forget(id: string): void {
    this.entries.delete(id);
    for (const [account, entry] of this.accounts) if (entry.source.id === id) this.accounts.delete(account);
  }
}
