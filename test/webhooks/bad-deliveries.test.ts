import { expect } from 'chai';
import { BadDeliveries, badDeliveryDetail } from '../../src/webhooks/bad-deliveries.js';

describe('bounds on bad-signature deliveries', () => {
  it('one sender is bounded across every source it forges for', () => {
    const bounds = new BadDeliveries({ perWindow: 3, windowMs: 60_000 });
    const actions = ['a', 'b', 'c', 'd', 'e'].map((source) => bounds.record(source, '203.0.113.9', 1_000).action);
    expect(actions).to.deep.equal(['log', 'log', 'log', 'refuse', 'refuse']);
    expect(bounds.record('f', '198.51.100.1', 1_000).action, 'another sender is not held back').to.equal('log');
  });

  it('logs one row per source per window; the next row counts the ones between', () => {
    const bounds = new BadDeliveries({ perWindow: 100, windowMs: 60_000 });
    expect(bounds.record('src', '192.0.2.1', 0).action).to.equal('log');
    for (let i = 1; i <= 9; i++) expect(bounds.record('src', `192.0.2.${i + 1}`, i * 1000).action).to.equal('quiet');
    const next = bounds.record('src', '192.0.2.50', 61_000);
    expect(next).to.deep.equal({ action: 'log', unlogged: 9, since: 0 });
    expect(badDeliveryDetail('signature check failed', next as { unlogged: number; since: number })).to.equal(
      'signature check failed (and 9 more invalid deliveries since 1970-01-01T00:00:00.000Z, not logged one by one)',
    );
  });

  it('a window passes: the sender may try again, and Retry-After says when', () => {
    const bounds = new BadDeliveries({ perWindow: 1, windowMs: 60_000 });
    bounds.record('src', '192.0.2.1', 0);
    const refused = bounds.record('src', '192.0.2.1', 15_000);
    expect(refused).to.deep.equal({ action: 'refuse', retryAfterSeconds: 45 });
    expect(bounds.record('src', '192.0.2.1', 61_000).action).to.equal('log');
  });
});
