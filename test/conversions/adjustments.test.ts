import { expect } from 'chai';
import { applyAdjustment, type Adjustment } from '../../src/conversions/adjustments.js';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
const paid = () => ({
  amount: 10_000,
  reported_refunded_amount: 0,
  reported_refunded_at: null,
  refunds: {},
  disputes: {},
  refunded_amount: 0,
  disputed_amount: 0,
  status: 'paid' as const,
});

const refund = (refundId: string, amount: number, status: 'pending' | 'succeeded' | 'failed' | 'canceled', second: number, createdSecond: number | null = null): Adjustment => ({
  kind: 'refund',
  facts: { refs: ['pi_1'], refundId, amount, currency: 'USD', status, occurredAt: at(second), createdAt: createdSecond === null ? null : at(createdSecond) },
});
const total = (refundedAmount: number, second: number): Adjustment => ({
  kind: 'refund_total',
  facts: { refs: ['pi_1'], refundedAmount, currency: 'USD', occurredAt: at(second) },
});
const dispute = (status: 'open' | 'won' | 'lost' | 'closed', second: number): Adjustment => ({
  kind: 'dispute',
  facts: { refs: ['pi_1'], disputeId: 'dp_1', amount: 10_000, currency: 'USD', status, occurredAt: at(second) },
});

const applyAll = (adjustments: Adjustment[]) => adjustments.reduce(applyAdjustment, paid());

describe('conversion adjustments', () => {
  it('a partial refund leaves the rest paid', () => {
    const result = applyAll([refund('re_1', 2_500, 'succeeded', 1)]);
    expect(result).to.include({ refunded_amount: 2_500, status: 'partially_refunded' });
  });

  it('the same refund delivered twice counts once', () => {
    const result = applyAll([refund('re_1', 2_500, 'succeeded', 1), refund('re_1', 2_500, 'succeeded', 1)]);
    expect(result.refunded_amount).to.equal(2_500);
  });

  it('cumulative totals are set, never added, and a late older one is ignored', () => {
    const result = applyAll([total(3_000, 2), total(10_000, 3), total(3_000, 2)]);
    expect(result).to.include({ refunded_amount: 10_000, status: 'refunded' });
  });

  it('a newer, smaller cumulative total (a refund failed) gives the money back', () => {
    expect(applyAll([total(4_000, 2), total(0, 5)])).to.include({ refunded_amount: 0, status: 'paid' });
    expect(applyAll([total(0, 5), total(4_000, 2)])).to.include({ refunded_amount: 0, status: 'paid' });
  });

  it('a refund that fails after the cumulative total counted it gives the money back to net, in any order', () => {
    const events = [refund('re_1', 4_000, 'succeeded', 1, 1), total(4_000, 2), refund('re_1', 4_000, 'failed', 9, 1)];
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]]) {
      expect(applyAll(order.map((i) => events[i])), order.join()).to.include({ refunded_amount: 0, status: 'paid' });
    }
    const canceled = applyAll([total(4_000, 2), refund('re_1', 4_000, 'canceled', 9, 1)]);
    expect(canceled.refunded_amount).to.equal(0);
  });

  it('a failed refund does not take back one that succeeded beside it', () => {
    const result = applyAll([refund('re_1', 1_000, 'succeeded', 1, 1), refund('re_2', 3_000, 'succeeded', 2, 2), total(4_000, 3), refund('re_2', 3_000, 'failed', 9, 2)]);
    expect(result).to.include({ refunded_amount: 1_000, status: 'partially_refunded' });
  });

  it('a refund made and failed after the last total reported does not reduce that total', () => {
    const result = applyAll([total(4_000, 2), refund('re_9', 2_000, 'failed', 9, 5)]);
    expect(result.refunded_amount).to.equal(4_000);
  });

  it('a refund and the cumulative total that includes it are not added together', () => {
    const result = applyAll([refund('re_1', 4_000, 'succeeded', 1), total(4_000, 2)]);
    expect(result.refunded_amount).to.equal(4_000);
  });

  it('a pending refund arriving after it succeeded does not undo it', () => {
    const result = applyAll([refund('re_1', 4_000, 'succeeded', 2), refund('re_1', 4_000, 'pending', 1)]);
    expect(result.refunded_amount).to.equal(4_000);
  });

  it('a failed refund releases its amount', () => {
    const result = applyAll([refund('re_1', 4_000, 'pending', 1), refund('re_1', 4_000, 'failed', 2)]);
    expect(result).to.include({ refunded_amount: 0, status: 'paid' });
  });

  it('refunds never exceed the amount', () => {
    const result = applyAll([refund('re_1', 8_000, 'succeeded', 1), refund('re_2', 8_000, 'succeeded', 2)]);
    expect(result.refunded_amount).to.equal(10_000);
  });

  it('an open dispute holds the amount; won releases it', () => {
    expect(applyAll([dispute('open', 1)])).to.include({ disputed_amount: 10_000, status: 'disputed' });
    expect(applyAll([dispute('open', 1), dispute('won', 2)])).to.include({ disputed_amount: 0, status: 'paid' });
  });

  it('a lost dispute is final, even if the created event arrives after it', () => {
    const result = applyAll([dispute('lost', 2), dispute('open', 1)]);
    expect(result).to.include({ disputed_amount: 10_000, status: 'disputed' });
  });

  it('a won dispute is not reopened by a reordered created event', () => {
    const result = applyAll([dispute('won', 2), dispute('open', 1)]);
    expect(result).to.include({ disputed_amount: 0, status: 'paid' });
  });
});
