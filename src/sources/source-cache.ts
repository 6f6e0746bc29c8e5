import { TtlCache } from '../ttl-cache.js';
import type { CacheBus } from '../db/cache-bus.js';
import { Source } from './models.js';

/**
 * Sources by id for the webhook path, so a delivery does not read its source row every time. Changes are forgotten
 * at once, here and on every other instance (notifications); the short TTL bounds staleness if one is missed.
 */
export class SourceCache {
  private readonly byId: TtlCache<string, Source>;
  /** A Connect account's source; misses are not kept, so a new connection counts at once. */
  private readonly byAccount: TtlCache<string, Source>;

  constructor(
    private readonly bus: CacheBus | null = null,
    ttlMs = 10_000,
  ) {
    this.byId = new TtlCache({ ttlMs, maxEntries: 10_000 });
    this.byAccount = new TtlCache({ ttlMs, maxEntries: 10_000 });
    bus?.subscribe('source', (id) => (id === '*' ? this.expireAll() : this.drop(id)));
  }

  get(id: string): Promise<Source | null> {
    return this.byId.get(id, async () => (await Source.query().findById(id)) ?? null);
  }

  /**
   * The connected Stripe Connect source of an account, for the platform's Connect endpoint. A miss is not kept:
   * an event for an account no source holds is answered once and not retried, so a new connection counts at once.
   */
  async connected(accountId: string): Promise<Source | null> {
    const source = await this.byAccount.get(accountId, async () =>
      (await Source.query().findOne({ provider: 'stripe', mode: 'oauth', account_id: accountId }).whereNot('status', 'disconnected')) ?? null,
    );
    if (!source) this.byAccount.delete(accountId);
    return source;
  }

  /** A source changed here (connected, disconnected, new tokens or mappings): forgotten here and on every other instance. */
  forget(id: string): void {
    this.drop(id);
    this.bus?.publish('source', id);
  }

  private drop(id: string): void {
    this.byId.delete(id);
    this.byAccount.deleteWhere((source) => source.id === id);
  }

  private expireAll(): void {
    this.byId.expireAll();
    this.byAccount.expireAll();
  }
}
