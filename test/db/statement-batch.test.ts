import { expect } from 'chai';
import { StatementBatch } from '../../src/db/statement-batch.js';

const connectionLost = () => Object.assign(new Error('Connection terminated unexpectedly'), {});
const badInput = () => Object.assign(new Error('new row violates check constraint'), { code: '23514' });

describe('StatementBatch', () => {
  it('sends the requests of one turn of the event loop as one statement, in order', async () => {
    const calls: number[][] = [];
    const batch = new StatementBatch(async (inputs: number[]) => {
      calls.push(inputs);
      return inputs.map((n) => n * 10);
    }, { maxInFlight: 1, maxBatch: 100 });

    const answers = await Promise.all([1, 2, 3].map((n) => batch.add(n)));

    expect(answers).to.deep.equal([10, 20, 30]);
    expect(calls).to.deep.equal([[1, 2, 3]]);
  });

  it('gathers what arrives while a statement is in flight into the next one, at most maxBatch each', async () => {
    const calls: number[][] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const batch = new StatementBatch(async (inputs: number[]) => {
      calls.push(inputs);
      if (calls.length === 1) await first;
      return inputs;
    }, { maxInFlight: 1, maxBatch: 2 });

    const pending = [batch.add(1)];
    await new Promise((resolve) => setImmediate(resolve));
    pending.push(batch.add(2), batch.add(3), batch.add(4));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).to.deep.equal([[1]]);
    release();

    expect(await Promise.all(pending)).to.deep.equal([1, 2, 3, 4]);
    expect(calls).to.deep.equal([[1], [2, 3], [4]]);
  });

  it('sends each input again alone when the batch fails, so one bad input fails only its own request', async () => {
    const calls: number[][] = [];
    const batch = new StatementBatch(async (inputs: number[]) => {
      calls.push(inputs);
      if (inputs.includes(2)) throw badInput();
      return inputs;
    }, { maxInFlight: 1, maxBatch: 100 });

    const answers = await Promise.allSettled([1, 2, 3].map((n) => batch.add(n)));

    expect(answers.map((a) => a.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls).to.deep.equal([[1, 2, 3], [1], [2], [3]]);
  });

  it('fails the whole batch at once when the database is away, without a statement per input', async () => {
    let calls = 0;
    const batch = new StatementBatch(async () => {
      calls++;
      throw connectionLost();
    }, { maxInFlight: 1, maxBatch: 100 });

    const answers = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => batch.add(n)));

    expect(answers.every((a) => a.status === 'rejected' && /Connection terminated/.test(String(a.reason)))).to.equal(true);
    expect(calls).to.equal(1);
  });

  it('stops sending inputs alone once one of them finds the database away', async () => {
    const calls: number[][] = [];
    const batch = new StatementBatch(async (inputs: number[]) => {
      calls.push(inputs);
      if (inputs.length > 1) throw badInput();
      throw connectionLost();
    }, { maxInFlight: 1, maxBatch: 100 });

    const answers = await Promise.allSettled([1, 2, 3].map((n) => batch.add(n)));

    expect(answers.every((a) => a.status === 'rejected')).to.equal(true);
    expect(calls).to.deep.equal([[1, 2, 3], [1]]);
  });
});
