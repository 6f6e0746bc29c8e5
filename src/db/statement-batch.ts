import { isDatabaseUnavailable } from './errors.js';

interface Waiting<Input, Output> {
  input: Input;
  resolve(output: Output): void;
  reject(error: unknown): void;
}

export interface StatementBatchOptions {
  /** Statements of this batcher running at once; requests made meanwhile wait and share the next one. */
  maxInFlight: number;
  maxBatch: number;
}

/**
 * Requests to the database made together, one statement for many: those made in one turn of the event loop, or
 * while earlier statements are in flight, share the next one, so a burst costs the database a statement (and a
 * commit) per batch rather than per request. An idle service sends a batch of one at once: batching adds no wait
 * of its own. `run` answers one output per input, in order, and writes nothing if it throws.
 */
export class StatementBatch<Input, Output> {
  private readonly queue: Waiting<Input, Output>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (inputs: Input[]) => Promise<Output[]>,
    private readonly options: StatementBatchOptions,
  ) {}

  add(input: Input): Promise<Output> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) void this.send(this.queue.splice(0, this.options.maxBatch));
    });
  }

  private async send(batch: Waiting<Input, Output>[]): Promise<void> {
    this.inFlight++;
    try {
      await this.settle(batch);
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
    }
  }

  private async settle(batch: Waiting<Input, Output>[]): Promise<void> {
    let outputs: Output[];
    try {
      outputs = await this.run(batch.map((waiting) => waiting.input));
    } catch (error) {
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      // One bad input must not fail the others: each goes again alone. A database that is away fails them all.
      for (const [i, waiting] of batch.entries()) {
        try {
          waiting.resolve((await this.run([waiting.input]))[0]);
        } catch (alone) {
          waiting.reject(alone);
          if (isDatabaseUnavailable(alone)) {
            for (const rest of batch.slice(i + 1)) rest.reject(alone);
            return;
          }
        }
      }
      return;
    }
    batch.forEach((waiting, i) => waiting.resolve(outputs[i]));
  }
}
