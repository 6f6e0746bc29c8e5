import type { Logger } from '../logger.js';

export interface Job {
  name: string;
  intervalMs: number;
  run(): Promise<unknown>;
}

/** Runs each job on its interval inside the service process; a failing run is logged and tried next time. */
export class JobScheduler {
  private timers: NodeJS.Timeout[] = [];
  private running = new Set<Promise<unknown>>();

  constructor(private readonly deps: { logger: Logger; jobs: Job[] }) {}

  start(): void {
    for (const job of this.deps.jobs) {
      const tick = () => {
        const run = job
          .run()
          .then((result) => result !== null && this.deps.logger.debug({ job: job.name, result }, 'job ran'))
          .catch((error) => this.deps.logger.error({ err: error, job: job.name }, 'job failed'))
          .finally(() => this.running.delete(run));
        this.running.add(run);
      };
      const timer = setInterval(tick, job.intervalMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Runs one job now; null when another run holds its lock. */
  async run(name: string): Promise<unknown> {
    const job = this.deps.jobs.find((candidate) => candidate.name === name);
    if (!job) throw new Error(`no job named ${name}`);
    return job.run();
  }

  /** Runs every job once, one after another (`npm run jobs -- once`); a failing job is reported, not thrown. */
  async runOnce(): Promise<Record<string, unknown>> {
    const results: Record<string, unknown> = {};
    for (const job of this.deps.jobs) {
      try {
        results[job.name] = (await job.run()) ?? 'skipped: another instance holds its lock';
      } catch (error) {
        this.deps.logger.error({ err: error, job: job.name }, 'job failed');
        results[job.name] = { error: (error as Error).message };
      }
    }
    return results;
  }

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([...this.running]);
  }
}
