import { expect } from 'chai';
import { TtlCache } from '../src/ttl-cache.js';

const later = <T>(value: T, ms = 5) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('the TTL cache', () => {
  it('concurrent loads of one expired key make one read', async () => {
    const cache = new TtlCache<string, string>({ ttlMs: 60_000, maxEntries: 10 });
    let reads = 0;
    const load = () => (reads++, later('target'));
    const values = await Promise.all(Array.from({ length: 50 }, () => cache.get('spring', load)));
    expect(values.every((value) => value === 'target')).to.equal(true);
    expect(reads).to.equal(1);
    expect(cache.peek('spring')).to.equal('target');
  });

  it('serves the stale value when a reload fails, and waits before trying again', async () => {
    const cache = new TtlCache<string, string>({ ttlMs: 1, maxEntries: 10, retryAfterMs: 200 });
    await cache.get('spring', () => later('target'));
    await later(null, 5);
    let attempts = 0;
    const failing = () => (attempts++, Promise.reject(new Error('Connection terminated unexpectedly')));
    expect(await cache.get('spring', failing)).to.equal('target');
    expect(await cache.get('spring', failing)).to.equal('target');
    expect(cache.peek('spring'), 'served synchronously until the retry is due').to.equal('target');
    expect(attempts).to.equal(1);
  });

  it('a key never loaded has nothing stale to serve: the failure is the caller\'s', async () => {
    const cache = new TtlCache<string, string>({ ttlMs: 1, maxEntries: 10 });
    let thrown: unknown = null;
    await cache.get('unknown', () => Promise.reject(new Error('down'))).catch((error) => (thrown = error));
    expect(thrown).to.be.instanceOf(Error);
  });

  it('a flood of unknown keys cannot push out the keys that were found', async () => {
    const cache = new TtlCache<string, string>({ ttlMs: 60_000, maxEntries: 100, maxMisses: 20 });
    for (let i = 0; i < 100; i++) await cache.get(`hot-${i}`, async () => 'target');
    for (let i = 0; i < 10_000; i++) await cache.get(`nope-${i}`, async () => null);
    for (let i = 0; i < 100; i++) expect(cache.peek(`hot-${i}`)).to.equal('target');
    expect(cache.size).to.equal(120);
  });

  it('bounds found values, dropping the oldest written', async () => {
    const cache = new TtlCache<string, number>({ ttlMs: 60_000, maxEntries: 3 });
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, i);
    expect([0, 1, 2, 3, 4].map((i) => cache.peek(`k${i}`))).to.deep.equal([undefined, undefined, 2, 3, 4]);
  });

  it('an invalidation during a load wins over what the load read', async () => {
    const cache = new TtlCache<string, string>({ ttlMs: 60_000, maxEntries: 10 });
    const loading = cache.get('spring', () => later('old target', 20));
    cache.delete('spring');
    expect(await loading).to.equal('old target');
    expect(cache.peek('spring')).to.equal(undefined);
  });
});
