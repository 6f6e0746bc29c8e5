// Load generation with autocannon, counted exactly: every request a run sends is answered and counted.
import autocannon from 'autocannon';

export const CONNECTIONS = 50;

export interface LoadResult {
  label: string;
  /** Responses per second over the run's wall time (first request to last response). */
  rps: number;
  /** Latency percentiles in milliseconds (autocannon's histogram has 1 ms resolution). */
  p50: number;
  p99: number;
  statusCounts: Record<string, number>;
  errors: number;
  /** Responses received, all statuses. */
  total: number;
  seconds: number;
}

/** The part of autocannon's Client the graceful stop uses (not in @types/autocannon). */
interface CountingClient extends autocannon.Client {
  reqsMade: number;
  responseMax: number | undefined;
}

/**
 * Runs autocannon with CONNECTIONS connections (pipelining 1), either for `amount` requests (in options) or for
 * `seconds`. A timed run stops gracefully: at the deadline each connection is told to send nothing after the
 * request it has in flight, so the run ends when those answers are in. autocannon's own `duration` instead
 * destroys the sockets with requests in flight: the server would have served (and, here, recorded) responses
 * that no one counted.
 */
export async function load(label: string, options: autocannon.Options, seconds?: number): Promise<LoadResult> {
  const clients: CountingClient[] = [];
  let running = 0;
  let finishedAt = 0;
  const setupClient = (client: autocannon.Client) => {
    clients.push(client as CountingClient);
    running++;
    client.once('done', () => {
      if (--running === 0) finishedAt = performance.now();
    });
  };
  const deadline = seconds
    ? setTimeout(() => {
        for (const client of clients) client.responseMax = Math.max(1, client.reqsMade);
      }, seconds * 1000)
    : undefined;

  const startedAt = performance.now();
  let result: autocannon.Result;
  try {
    // A timed run still gets autocannon's own duration, well past the deadline, as a safety net.
    result = await autocannon({ connections: CONNECTIONS, ...(seconds ? { duration: seconds + 30 } : {}), ...options, setupClient });
  } finally {
    clearTimeout(deadline);
  }
  // autocannon notices that every connection is done on its next 1 s tick: time the run ourselves.
  const wallSeconds = ((finishedAt || performance.now()) - startedAt) / 1000;

  const statusCounts: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = stats.count ?? 0;
  const total = Object.values(statusCounts).reduce((sum, count) => sum + count, 0);
  return {
    label,
    rps: total / wallSeconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statusCounts,
    errors: result.errors + result.timeouts,
    total,
    seconds: wallSeconds,
  };
}

export function printRound(result: LoadResult): void {
  console.log(
    `${result.label.padEnd(22)} ${result.rps.toFixed(0).padStart(8)} req/s   p50 ${String(result.p50).padStart(3)} ms   ` +
      `p99 ${String(result.p99).padStart(3)} ms   ${result.seconds.toFixed(1)} s   statuses ${JSON.stringify(result.statusCounts)}` +
      (result.errors ? `   errors ${result.errors}` : ''),
  );
}

export const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
