import { type StatementKind, statementKinds } from '../../src/db/statements.ts';
import { percentile } from '../bare.ts';
import { statementDelta } from './metrics.ts';
import type { OrgResult, RunResult } from './run.ts';

/**
 * Phase C's figures for one run, each beside its baseline from the same run where there is
 * one: the run time against the bound the slowest org's Zoho limit imposes, calls against
 * Zoho's minimum, throughput against the bound's, and what each process spent.
 */
const minimumCalls = { new: 4, repeat: 1 };
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The org that bounds the run: served calls × mean latency ÷ its concurrency limit, the longest. */
function slowestOrg(run: RunResult) {
  const bounds = run.orgs.map((o) => ({
    org: o,
    boundMs: (o.served * run.options.latencyMs) / o.host.concurrency,
  }));
  return bounds.reduce((a, b) => (b.boundMs > a.boundMs ? b : a));
}

/** Each org's own run (first send → its last event done) against its own bound. */
function perOrg(run: RunResult) {
  return run.orgs.map((o) => {
    const boundMs = (o.served * run.options.latencyMs) / o.host.concurrency;
    const runMs =
      Math.max(...run.settled.filter((s) => s.hostId === o.host.id).map((s) => s.doneAt)) - run.firstSend;
    return {
      edition: o.host.edition,
      concurrencyLimit: o.host.concurrency,
      servedCalls: o.served,
      boundSeconds: r2(boundMs / 1000),
      runSeconds: r2(runMs / 1000),
      runVsBound: r2(runMs / boundMs),
    };
  });
}

function callsPerBooking(orgs: OrgResult[]) {
  const n = { new: sum(orgs.map((o) => o.bookings.new)), repeat: sum(orgs.map((o) => o.bookings.repeat)) };
  const k = (kind: keyof OrgResult['kinds']) => sum(orgs.map((o) => o.kinds[kind]));
  const served = sum(orgs.map((o) => o.served));
  const minimum = minimumCalls.new * n.new + minimumCalls.repeat * n.repeat;
  // Every booking needs its Note; searches and inserts are put on the new attendees. Exact when
  // the total is Zoho's minimum (then each booking made its minimum); otherwise see `excess`.
  const notesPerBooking = k('note') / (n.new + n.repeat);
  return {
    new: r2((k('search') + k('insert') + k('other')) / n.new + notesPerBooking),
    repeat: r2(notesPerBooking),
    all: r2(served / (n.new + n.repeat)),
    minimum: r2(minimum / (n.new + n.repeat)),
    served,
    excess: served - minimum,
    searches: k('search'),
    inserts: k('insert'),
    notes: k('note'),
    other: k('other'),
  };
}

/** Jobs in flight of one worker: the mean of the samples while it had any, and the peak. */
function inFlight(samples: number[], peakMetric: number, concurrency: number) {
  const busy = samples.filter((s) => s > 0);
  return {
    meanWhileBusy: r1(busy.length ? sum(busy) / busy.length : 0),
    peakSampled: Math.max(0, ...samples),
    peak: peakMetric,
    concurrency,
    /** Share of busy samples at the configured concurrency: near 1 means the worker is starved. */
    atConcurrency: r2(busy.length ? busy.filter((s) => s >= concurrency).length / busy.length : 0),
    samples: samples.length,
  };
}

function statementsPerBooking(run: RunResult, bookings: number) {
  const less = (d: Record<StatementKind, number>, cost: Record<StatementKind, number>, scrapes: number) =>
    statementKinds.map((k) => d[k] - cost[k] * scrapes);
  // The delta holds the scrape taken before the burst (the counter is read before the gauges'
  // own reads) and, on workers, every sample of jobs in flight: their statements are taken off.
  const web = less(statementDelta(run.web.before, run.web.after), run.web.scrapeCost, 1);
  const workers = run.workers.map((w, i) =>
    less(statementDelta(w.before, w.after), run.workerScrapeCost, 1 + run.inFlight.scrapes[i]!),
  );
  const byKind = Object.fromEntries(
    statementKinds.map((k, i) => [k, r2((web[i]! + sum(workers.map((w) => w[i]!))) / bookings)]),
  ) as Record<StatementKind, number>;
  return { total: r2(sum(Object.values(byKind))), byKind };
}

export function runFigures(run: RunResult) {
  const bookings = run.sent.length;
  const runMs = Math.max(...run.settled.map((s) => s.doneAt)) - run.firstSend;
  const slowest = slowestOrg(run);
  const cpu = (before: { cpuSeconds: number }, after: { cpuSeconds: number }) =>
    r2(((after.cpuSeconds - before.cpuSeconds) / bookings) * 1000);
  const accept = run.sent.map((s) => s.acceptMs);
  return {
    workers: run.options.workers,
    bookings,
    newBookings: sum(run.orgs.map((o) => o.bookings.new)),
    repeatBookings: sum(run.orgs.map((o) => o.bookings.repeat)),
    runSeconds: r2(runMs / 1000),
    boundSeconds: r2(slowest.boundMs / 1000),
    runVsBound: r2(runMs / slowest.boundMs),
    slowestOrg: {
      edition: slowest.org.host.edition,
      concurrencyLimit: slowest.org.host.concurrency,
      servedCalls: slowest.org.served,
    },
    lastAcceptedSeconds: r2((Math.max(...run.sent.map((s) => s.acceptedAt)) - run.firstSend) / 1000),
    timeTo202Ms: { p50: r1(percentile(accept, 50)), p99: r1(percentile(accept, 99)) },
    bookingsPerSecond: r1(bookings / (runMs / 1000)),
    boundBookingsPerSecond: r1(bookings / (slowest.boundMs / 1000)),
    tooManyRequests: sum(run.orgs.map((o) => o.tooManyRequests)),
    duplicates: sum(run.orgs.map((o) => o.duplicates)),
    callsPerBooking: callsPerBooking(run.orgs),
    jobsInFlight: run.workers.map((w, i) =>
      inFlight(run.inFlight.perWorker[i]!, w.after.jobsInFlightPeak, run.workerConcurrency),
    ),
    cpuSecondsPer1000Bookings: {
      web: cpu(run.web.before, run.web.after),
      workers: run.workers.map((w) => cpu(w.before, w.after)),
      sandbox: run.sandboxCpuSeconds === undefined ? null : r2((run.sandboxCpuSeconds / bookings) * 1000),
      bench: r2((run.benchCpuSeconds / bookings) * 1000),
      postgres:
        run.hostCpu.postgresSeconds === undefined
          ? null
          : r2((run.hostCpu.postgresSeconds / bookings) * 1000),
      machine: run.hostCpu.machine ? r2((run.hostCpu.machine.busySeconds / bookings) * 1000) : null,
    },
    /** How busy the machine's cores were from the first send to the drain (1: every core, all the time). */
    machineBusyShare: run.hostCpu.machine
      ? r2(run.hostCpu.machine.busySeconds / run.hostCpu.machine.availableSeconds)
      : null,
    machineCores: run.hostCpu.machine?.cores ?? null,
    statementsPerBooking: statementsPerBooking(run, bookings),
    orgs: perOrg(run),
  };
}

export type RunFigures = ReturnType<typeof runFigures>;

/** Across the runs: did a second worker slow the run, and how far one worker carries. */
export function comparison(runs: RunFigures[]) {
  const one = runs.find((r) => r.workers === 1);
  const two = runs.find((r) => r.workers === 2);
  return {
    twoVsOneWorkerRunTime: one && two ? r2(two.runSeconds / one.runSeconds) : null,
    secondWorkerSlowedTheRun: one && two ? two.runSeconds > one.runSeconds : null,
    oneWorker: one
      ? {
          bookingsPerSecond: one.bookingsPerSecond,
          runVsBound: one.runVsBound,
          jobsInFlightMeanWhileBusy: one.jobsInFlight[0]!.meanWhileBusy,
          concurrency: one.jobsInFlight[0]!.concurrency,
          atConcurrency: one.jobsInFlight[0]!.atConcurrency,
        }
      : null,
  };
}
