import type { Knex } from 'knex';
import type { Logger } from '../logger.js';

export interface Job {
  name: string;
  intervalMs: number;
  run(): Promise<unknown>;
}

/** A tick a little early still claims its interval: timers drift, and two instances tick at different moments. */
const DRIFT_ALLOWANCE = 0.9;

/**
 * Runs each job on its interval inside the service process; a failing run is logged and tried next time. Every
 * instance ticks, but a tick first claims the job's interval in `job_runs` (one statement, so one instance wins):
 * across the cluster each job runs once per interval. The job's own advisory lock still keeps two runs apart.
 */
export class JobScheduler {
  private timers: NodeJS.Timeout[] = [];
  private running = new Set<Promise<unknown>>();

  constructor(private readonly deps: { db: Knex; logger: Logger; jobs: Job[] }) {}

  start(): void {
    for (const job of this.deps.jobs) {
      const tick = () => {
        const run = this.claim(job)
          .then((claimed) => (claimed ? job.run() : null))
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

  /** True when this instance may run the job now: no instance started it within this interval. */
  private async claim(job: Job): Promise<boolean> {
    const { rows } = await this.deps.db.raw(
      `INSERT INTO job_runs (name, started_at) VALUES (?, now())
       ON CONFLICT (name) DO UPDATE SET started_at = now()
        WHERE job_runs.started_at < now() - make_interval(secs => ?)
       RETURNING name`,
      [job.name, (job.intervalMs * DRIFT_ALLOWANCE) / 1000],
    );
    return rows.length > 0;
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
