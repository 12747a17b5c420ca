import { type StatementKind, statementKinds } from '../../src/db/statements.ts';

/**
 * What the bench reads from each process's /metrics (README "Health and metrics"): CPU
 * seconds, database statements by kind, and sync jobs in flight. A scrape itself costs the
 * process a few statements (the gauges read from the database at each scrape), measured on an
 * idle worker and taken off the statement counts.
 */
export interface Scrape {
  cpuSeconds: number;
  statements: Record<StatementKind, number>;
  jobsInFlight: number;
  jobsInFlightPeak: number;
}

function value(text: string, name: string, labels = ''): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}${labels} `) || l.startsWith(`${name}${labels}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

export function parseMetrics(text: string): Scrape {
  const statements = Object.fromEntries(
    statementKinds.map((kind) => [kind, value(text, 'peposmart_db_statements_total', `{kind="${kind}"}`)]),
  ) as Record<StatementKind, number>;
  return {
    cpuSeconds: value(text, 'peposmart_process_cpu_seconds_total'),
    statements,
    jobsInFlight: value(text, 'peposmart_sync_jobs_in_flight'),
    jobsInFlightPeak: value(text, 'peposmart_sync_jobs_in_flight_peak'),
  };
}

export async function scrape(url: string, token: string): Promise<Scrape> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return parseMetrics(await res.text());
}

export function statementDelta(before: Scrape, after: Scrape): Record<StatementKind, number> {
  return Object.fromEntries(
    statementKinds.map((k) => [k, after.statements[k] - before.statements[k]]),
  ) as Record<StatementKind, number>;
}

/** The statements one scrape makes, by kind: two scrapes back to back on a process at rest. */
export async function scrapeCost(url: string, token: string): Promise<Record<StatementKind, number>> {
  const first = await scrape(url, token);
  const second = await scrape(url, token);
  const cost = statementDelta(first, second);
  // Only the database gauges' reads belong to the scrape; the queue's own polling may fall between.
  cost.queue = 0;
  return cost;
}

export interface InFlightSamples {
  /** One list of sampled values per worker. */
  perWorker: number[][];
  /** Scrapes made per worker (their statements are taken off). */
  scrapes: number[];
  stop(): Promise<void>;
}

/** Samples each worker's jobs in flight every `everyMs` until stopped. */
export function sampleInFlight(urls: string[], token: string, everyMs: number): InFlightSamples {
  const samples: InFlightSamples = {
    perWorker: urls.map(() => []),
    scrapes: urls.map(() => 0),
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const tick = new Promise((r) => setTimeout(r, everyMs));
      await Promise.all(
        urls.map(async (url, i) => {
          samples.scrapes[i]! += 1;
          try {
            samples.perWorker[i]!.push((await scrape(url, token)).jobsInFlight);
          } catch {
            // A scrape that failed (the worker busy past the tick) is a missing sample, not a failure.
          }
        }),
      );
      await tick;
    }
  })();
  return samples;
}
