import { renderTable } from '../table.ts';
import type { comparison, RunFigures } from './figures.ts';

/** Phase C's figures as a table (one section per worker count), as bench/sync.ts prints A and B. */
export interface ScaledTableInput extends ReturnType<typeof comparison> {
  latencyMs: number;
  jitterMs: number;
  orgs: number;
  runs: RunFigures[];
}

/** The orgs' own runs against their own bounds: the first and the last to finish, by edition. */
function orgSpread(r: RunFigures): string[] {
  const byEdition = new Map<string, number[]>();
  for (const o of r.orgs) byEdition.set(o.edition, [...(byEdition.get(o.edition) ?? []), o.runSeconds]);
  const spans = [...byEdition].map(([e, t]) => `${e} ${Math.min(...t)}–${Math.max(...t)}`);
  const ratios = r.orgs.map((o) => o.runVsBound);
  return [
    'Each org done after (s), by edition',
    spans.join(', '),
    'each org’s own bound',
    `${Math.min(...ratios)}–${Math.max(...ratios)}×`,
  ];
}

const list = (xs: Array<number | string>) => xs.join(' · ');

function section(f: ScaledTableInput, r: RunFigures): string[][] {
  const c = r.callsPerBooking;
  const s = r.slowestOrg;
  const kinds = Object.entries(r.statementsPerBooking.byKind)
    .filter(([, n]) => n !== 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    [
      `C, ${r.workers} worker(s): ${r.bookings} bookings (${r.newBookings} new, ${r.repeatBookings} repeat) over ${f.orgs} orgs, latency ${f.latencyMs} ± ${f.jitterMs} ms`,
      '',
      '',
      '',
    ],
    [
      'Run time, first send → last done (s)',
      String(r.runSeconds),
      `bound ${r.boundSeconds} s (${s.edition}: ${s.servedCalls} calls × ${f.latencyMs} ms ÷ ${s.concurrencyLimit})`,
      `${r.runVsBound}×`,
    ],
    orgSpread(r),
    [
      'Bookings synced / s',
      String(r.bookingsPerSecond),
      `${r.boundBookingsPerSecond} at the bound`,
      `${Math.round((r.bookingsPerSecond / r.boundBookingsPerSecond) * 100) / 100}×`,
    ],
    // With the sender's pool full, a request waits about pool size ÷ intake rate (Little's law):
    // the rate beside it says which of the two moved.
    [
      'Time to 202, p50 / p99 (ms)',
      `${r.timeTo202Ms.p50} / ${r.timeTo202Ms.p99}`,
      `last 202 after ${r.lastAcceptedSeconds} s (${Math.round(r.bookings / r.lastAcceptedSeconds)} accepted/s)`,
      '',
    ],
    [
      'Zoho calls / booking, new attendee',
      String(c.new),
      '4 (minimum)',
      `${Math.round((c.new / 4) * 100) / 100}×`,
    ],
    ['Zoho calls / booking, repeat attendee', String(c.repeat), '1 (minimum)', `${c.repeat}×`],
    ['Zoho calls above the minimum', String(c.excess), `0 (of ${c.served})`, ''],
    ['429s received; duplicate people', `${r.tooManyRequests}; ${r.duplicates}`, '0; 0', ''],
    [
      'Jobs in flight per worker, mean while busy',
      list(r.jobsInFlight.map((j) => j.meanWhileBusy)),
      `SYNC_CONCURRENCY ${r.jobsInFlight[0]?.concurrency}`,
      list(r.jobsInFlight.map((j) => `${j.atConcurrency} at it`)),
    ],
    [
      'Jobs in flight per worker, peak',
      list(r.jobsInFlight.map((j) => j.peak)),
      `SYNC_CONCURRENCY ${r.jobsInFlight[0]?.concurrency}`,
      '',
    ],
    [
      'CPU s / 1,000 bookings: web; workers',
      `${r.cpuSecondsPer1000Bookings.web}; ${list(r.cpuSecondsPer1000Bookings.workers)}`,
      `sandbox ${r.cpuSecondsPer1000Bookings.sandbox ?? '?'}; the bench process ${r.cpuSecondsPer1000Bookings.bench}`,
      '',
    ],
    [
      'CPU s / 1,000 bookings: PostgreSQL; whole machine',
      `${r.cpuSecondsPer1000Bookings.postgres ?? '? (not on this machine)'}; ${r.cpuSecondsPer1000Bookings.machine ?? '?'}`,
      `cores busy ${r.machineBusyShare === null ? '?' : `${Math.round(r.machineBusyShare * 100)} %`} of the run (${r.machineCores ?? '?'} cores)`,
      '',
    ],
    ['DB statements / booking (web + workers)', String(r.statementsPerBooking.total), kinds, ''],
  ];
}

export function scaledTable(f: ScaledTableInput): string {
  const rows = [
    ['Figure', 'Measured', 'Baseline (same run)', 'Ratio'],
    ...f.runs.flatMap((r) => section(f, r)),
  ];
  if (f.twoVsOneWorkerRunTime !== null)
    rows.push([
      '2 workers vs 1: run time',
      `${f.twoVsOneWorkerRunTime}×`,
      f.secondWorkerSlowedTheRun ? 'slower with 2' : 'not slower with 2',
      '',
    ]);
  return renderTable(rows);
}
