import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { ClickWriter, type PendingClick } from '../../src/clicks/click-writer.js';
import { createLogger } from '../../src/logger.js';
import { testDatabase } from '../support/hooks.js';

describe('the click writer', () => {
  const writer = () => new ClickWriter({ db: testDatabase().db, logger: createLogger('silent'), secret: 'writer test secret' });
  const pendingClick = (fields: Partial<PendingClick> = {}): PendingClick => ({
    id: `clk_${randomBytes(16).toString('hex')}`,
    linkId: `lnk_${randomBytes(8).toString('hex')}`,
    workspaceId: 'ws_writer_test',
    campaignId: 'cmp_writer_test',
    firstClickId: null,
    at: new Date('2026-11-23T04:05:06.789Z'),
    ip: '198.51.100.7',
    userAgent: 'Mozilla/5.0',
    referer: null,
    country: null,
    ...fields,
  });
  const rowsOf = (clicks: PendingClick[]) => testDatabase().db('clicks').whereIn('id', clicks.map((click) => click.id)).orderBy('id');

  it('stores every field as sent, whatever characters a user agent or referer carries', async () => {
    const odd = [
      pendingClick({ userAgent: 'tab\there, newline\nthere, return\r, backslash \\ and \\N', referer: 'https://example.com/a\tb?q=\\x' }),
      pendingClick({ userAgent: 'Ünïcødé 🚀 — 中文', referer: null, country: 'DE', ip: null }),
      pendingClick({ userAgent: null, referer: '\\N' }),
    ];
    const clicks = writer();
    for (const click of odd) clicks.record(click);
    await clicks.flush();
    const rows = await rowsOf(odd);
    expect(rows).to.have.length(3);
    for (const click of odd) {
      const row = rows.find((r) => r.id === click.id);
      expect(row).to.include({ link_id: click.linkId, user_agent: click.userAgent, referer: click.referer, country: click.country });
      expect(new Date(row.created_at).toISOString()).to.equal(click.at.toISOString());
      expect(row.ip_hash === null).to.equal(click.ip === null);
    }
  });

  it('writes a batch retried after it had in fact been written once, without duplicates or a stuck retry', async () => {
    const batch = [pendingClick(), pendingClick()];
    const first = writer();
    batch.forEach((click) => first.record(click));
    await first.flush();
    // The same clicks again, plus a new one: as if the first commit's answer had been lost and the batch retried.
    const retried = writer();
    const late = pendingClick();
    [...batch, late].forEach((click) => retried.record(click));
    await retried.flush();
    expect(retried.pendingCount).to.equal(0);
    expect((await rowsOf([...batch, late])).map((row) => row.id)).to.deep.equal([...batch, late].map((click) => click.id).sort());
  });

  it('holds at most maxPending clicks, counting the batch being written: past it, new clicks are dropped and counted', async () => {
    // A database that takes the batch and does not answer yet: the batch is in flight, out of the waiting line.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = { client: { config: { client: 'pg' } }, transaction: async () => { await held; throw new Error('the database went away'); } } as unknown as ConstructorParameters<typeof ClickWriter>[0]['db'];
    const clicks = new ClickWriter({ db: slow, logger: createLogger('silent'), secret: 'writer test secret' }, { maxPending: 3, batchSize: 2 });
    clicks.record(pendingClick());
    clicks.record(pendingClick());
    const flushing = clicks.flush();
    for (let i = 0; i < 3; i++) clicks.record(pendingClick());
    expect({ pending: clicks.pendingCount, dropped: clicks.dropped }).to.deep.equal({ pending: 3, dropped: 2 });
    release();
    await flushing;
    expect(clicks.pendingCount).to.equal(3);
  });
});
