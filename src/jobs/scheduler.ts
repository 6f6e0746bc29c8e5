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

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([...this.running]);
  }
}
