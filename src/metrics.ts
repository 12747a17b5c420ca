import crypto from 'node:crypto';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from './db/port.ts';
import type { StatementCounter } from './db/statements.ts';

/**
 * Prometheus metrics (text format at `/metrics`), with prom-client. Two kinds:
 * - this process's own: Zoho API calls (by method, resource and status), their duration and
 *   retries, events received, and Node's process metrics;
 * - the database's, read at each scrape and the same from every process: events by type and
 *   status, the age of the oldest event still in progress, connections by status. These are
 *   operator totals across workspaces, the only queries that are not scoped to one.
 */
export interface Metrics {
  registry: Registry;
  zohoCall(call: { method: string; path: string; status: number | 'error'; seconds: number }): void;
  zohoRetry(kind: string): void;
  eventReceived(type: string, outcome: 'accepted' | 'duplicate' | 'unauthorized' | 'invalid'): void;
  /** A sync job started (+1) or ended (-1) in this process. */
  jobsInFlight(delta: 1 | -1): void;
}

/** `/Contacts/5725767000000412001/Notes` → `Contacts/:id/Notes`: record ids would make a series each. */
export function zohoResource(path: string): string {
  return (
    path
      .split('?')[0]!
      .split('/')
      .filter(Boolean)
      .map((s) => (/^\d+$/.test(s) ? ':id' : s))
      .join('/') || '/'
  );
}

const DATABASE_TIMEOUT_MS = 2_000;

export function createMetrics(
  db: Pick<Database, 'query'>,
  options: { statements?: StatementCounter } = {},
): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'peposmart_' });
  const registers = [registry];

  const calls = new Counter({
    name: 'peposmart_zoho_api_calls_total',
    help: 'Zoho CRM API calls made by this process, by method, resource and HTTP status ("error": no answer)',
    labelNames: ['method', 'resource', 'status'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'peposmart_zoho_api_call_seconds',
    help: 'Time from sending a Zoho CRM API call to its whole reply, waiting for the org’s call slot included',
    labelNames: ['method', 'resource'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const retries = new Counter({
    name: 'peposmart_zoho_api_retries_total',
    help: 'Zoho CRM API calls tried again by this process, by the kind of failure (rate_limit, transient)',
    labelNames: ['kind'] as const,
    registers,
  });
  const received = new Counter({
    name: 'peposmart_events_received_total',
    help: 'Events posted to the event API of this process, by type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers,
  });

  const { statements } = options;
  if (statements)
    new Counter({
      name: 'peposmart_db_statements_total',
      help: 'Database statements made by this process, by what they are for (intake, queue, claims, references, activity, tokens, slots, events, transactions, other)',
      labelNames: ['kind'] as const,
      registers,
      collect() {
        this.reset();
        for (const [kind, n] of Object.entries(statements.totals())) this.inc({ kind }, n);
      },
    });
  let inFlight = 0;
  let inFlightPeak = 0;
  new Gauge({
    name: 'peposmart_sync_jobs_in_flight',
    help: 'Sync jobs this process is working on now',
    registers,
    collect() {
      this.set(inFlight);
    },
  });
  new Gauge({
    name: 'peposmart_sync_jobs_in_flight_peak',
    help: 'The most sync jobs this process has worked on at once since it started',
    registers,
    collect() {
      this.set(inFlightPeak);
    },
  });

  // Read from the database at each scrape. A database that fails or is slow to answer must not
  // cost the scrape this process's own series: its gauges keep their last values and
  // peposmart_metrics_database_up says 0.
  /** The read's value, or undefined when the database failed or took over 2 s. */
  const fromDatabase = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), DATABASE_TIMEOUT_MS);
        }),
      ]);
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
  new Gauge({
    name: 'peposmart_metrics_database_up',
    help: '1 when the database answered this scrape within 2 s; 0 otherwise (the database gauges then keep their last values)',
    registers,
    async collect() {
      this.set((await fromDatabase(() => db.query('SELECT 1'))) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'peposmart_sync_events',
    help: 'Events in the database by type and status (queued: in progress; waiting: for a reconnect)',
    labelNames: ['type', 'status'] as const,
    registers,
    async collect() {
      const read = await fromDatabase(() =>
        db.query<{ type: string; status: string; n: string }>(
          'SELECT type, status, count(*) AS n FROM events GROUP BY type, status',
        ),
      );
      if (!read) return;
      this.reset();
      for (const r of read.rows) this.set({ type: r.type, status: r.status }, Number(r.n));
    },
  });
  new Gauge({
    name: 'peposmart_sync_oldest_in_progress_seconds',
    help: 'How long the longest-waiting event in progress has been queued (0 when none; a retried event counts from its retry): a rising value means syncs are stuck',
    registers,
    async collect() {
      const read = await fromDatabase(() =>
        db.query<{ age: string | null }>(
          "SELECT EXTRACT(EPOCH FROM now() - min(updated_at)) AS age FROM events WHERE status = 'queued'",
        ),
      );
      if (read) this.set(Math.max(0, Number(read.rows[0]?.age ?? 0)));
    },
  });
  new Gauge({
    name: 'peposmart_connections',
    help: 'Zoho CRM connections by status (connected, reconnect_needed, not_connected)',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      const read = await fromDatabase(() =>
        db.query<{ status: string; n: string }>(
          'SELECT status, count(*) AS n FROM connections GROUP BY status',
        ),
      );
      if (!read) return;
      this.reset();
      for (const r of read.rows) this.set({ status: r.status }, Number(r.n));
    },
  });

  return {
    registry,
    zohoCall({ method, path, status, seconds }) {
      const resource = zohoResource(path);
      calls.inc({ method, resource, status: String(status) });
      duration.observe({ method, resource }, seconds);
    },
    zohoRetry: (kind) => retries.inc({ kind }),
    eventReceived: (type, outcome) => received.inc({ type, outcome }),
    jobsInFlight(delta) {
      inFlight += delta;
      inFlightPeak = Math.max(inFlightPeak, inFlight);
    },
  };
}

/**
 * Who may read `/metrics`: with a token, only a request bearing it; without one, anyone when
 * `openWithoutToken` (the embedded demo only, see Config.signIn) and nobody otherwise (counts of
 * a production-like service, a shared sandbox's included, are not for the public).
 */
export function metricsAccess(token: string | undefined, openWithoutToken: boolean) {
  const expected = token ? crypto.createHash('sha256').update(token).digest() : undefined;
  return (authorization: string | undefined): 'allowed' | 'unauthorized' | 'disabled' => {
    if (!expected) return openWithoutToken ? 'allowed' : 'disabled';
    const given = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
    if (!given) return 'unauthorized';
    const hash = crypto.createHash('sha256').update(given).digest();
    return crypto.timingSafeEqual(hash, expected) ? 'allowed' : 'unauthorized';
  };
}
