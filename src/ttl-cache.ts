export interface TtlCacheOptions {
  /** How long a found value is fresh (Infinity: until invalidated or evicted). */
  ttlMs: number;
  /** How long "not found" (a null value) is fresh; misses live apart, so a flood of unknown keys cannot evict hits. */
  missTtlMs?: number;
  maxEntries: number;
  /** Misses kept at most (default: maxEntries / 10). */
  maxMisses?: number;
  /** After a failed load, how long the stale value is served before the next load is tried. */
  retryAfterMs?: number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * The one in-process cache of the service (links, link owners, sources, signing secrets, bot verdicts). Values
 * are fresh for a time; past it, `get` loads again, one load per key however many callers wait for it. When a
 * load fails (the database is away), the last value is served stale and the next load waits `retryAfterMs`,
 * so a tracked link keeps redirecting through an outage. An invalidation during a load wins over what the load
 * read. Found values and misses (null) are bounded separately, the oldest written first out.
 */
export class TtlCache<K, V> {
  private readonly hits = new Map<K, Entry<V>>();
  private readonly misses = new Map<K, Entry<null>>();
  private readonly loading = new Map<K, Promise<V | null>>();
  /** Bumped by every invalidation, so a load that raced one does not store what it read before. */
  private generation = 0;
  private readonly options: Required<TtlCacheOptions>;

  constructor(options: TtlCacheOptions) {
    this.options = {
      missTtlMs: options.ttlMs,
      maxMisses: Math.max(1, Math.floor(options.maxEntries / 10)),
      retryAfterMs: 5_000,
      ...options,
    };
  }

  /** The fresh value (null for a fresh miss), or undefined when a load is due. Synchronous: the redirect's hot path. */
  peek(key: K, now = Date.now()): V | null | undefined {
    const entry = this.hits.get(key) ?? this.misses.get(key);
    return entry && entry.expiresAt >= now ? entry.value : undefined;
  }

  /** The value kept for a key even when it is no longer fresh; undefined when none is kept. */
  stale(key: K): V | null | undefined {
    return (this.hits.get(key) ?? this.misses.get(key))?.value;
  }

  /** The fresh value, or one loaded now (shared with concurrent callers); stale if the load fails and one is kept. */
  get(key: K, load: (key: K) => Promise<V | null>): Promise<V | null> {
    const fresh = this.peek(key);
    if (fresh !== undefined) return Promise.resolve(fresh);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(key, load).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  set(key: K, value: V | null, now = Date.now()): void {
    if (value === null) {
      this.hits.delete(key);
      remember(this.misses, key, { value: null, expiresAt: now + this.options.missTtlMs }, this.options.maxMisses);
    } else {
      this.misses.delete(key);
      remember(this.hits, key, { value, expiresAt: now + this.options.ttlMs }, this.options.maxEntries);
    }
  }

  delete(key: K): void {
    this.generation++;
    this.hits.delete(key);
    this.misses.delete(key);
  }

  /** Forgets every found value the predicate picks (a campaign's links). */
  deleteWhere(predicate: (value: V, key: K) => boolean): void {
    this.generation++;
    for (const [key, entry] of this.hits) if (predicate(entry.value, key)) this.hits.delete(key);
  }

  /** Everything is due for a reload, but still served stale if the reload fails (messages may have been missed). */
  expireAll(): void {
    this.generation++;
    for (const entry of this.hits.values()) entry.expiresAt = 0;
    for (const entry of this.misses.values()) entry.expiresAt = 0;
  }

  clear(): void {
    this.generation++;
    this.hits.clear();
    this.misses.clear();
  }

  get size(): number {
    return this.hits.size + this.misses.size;
  }

  private async load(key: K, load: (key: K) => Promise<V | null>): Promise<V | null> {
    const generation = this.generation;
    try {
      const value = await load(key);
      if (generation === this.generation) this.set(key, value);
      return value;
    } catch (error) {
      const stale = this.hits.get(key) ?? this.misses.get(key);
      if (!stale || generation !== this.generation) throw error;
      stale.expiresAt = Date.now() + this.options.retryAfterMs;
      return stale.value;
    }
  }
}

/** Writes an entry as the newest (Maps iterate in insertion order), dropping the oldest past the bound. */
function remember<K, E>(map: Map<K, E>, key: K, entry: E, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, entry);
}
