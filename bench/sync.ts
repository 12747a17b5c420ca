import os from 'node:os';
import { demoUsers } from '../src/workspaces/demo.ts';
import { percentile } from './bare.ts';
import { idleBookings, type PhaseA, type PhaseB, type PhaseI, phaseA, phaseB, phaseI } from './phases.ts';
import { mainScaled } from './scaled.ts';
import { startStack } from './stack.ts';
import { renderTable } from './table.ts';

/**
 * `npm run bench`: booking sync against an in-process Zoho sandbox. Prints a table of figures,
 * each beside a baseline measured in the same run, then one line of JSON with every figure.
 * Exits 1 when a booking did not sync. docs/PERFORMANCE.md explains the figures.
 * `npm run bench -- --scaled` runs phase C instead (bench/scaled.ts): the scaled shape.
 */
const config = {
  a: { bookings: 200, bareRounds: 60, idleBookings: 10, timeoutMs: 60_000 },
  i: { bookings: 500, latencyMs: 50, timeoutMs: 120_000 },
  b: { bookings: 100, edition: 'free', latencyMs: 50, concurrency: 5, timeoutMs: 30_000 },
};
/** Zoho's minimum per booking: new = search Contacts + search Leads + insert + Note; known = Note. */
const minimumCalls = { new: 4, repeat: 1 };

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Statements per booking, by kind and in all (kinds with none left out). */
function perBooking(statements: Record<string, number>, bookings: number) {
  const byKind = Object.fromEntries(
    Object.entries(statements)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => [k, r2(n / bookings)]),
  );
  return { total: r2(Object.values(statements).reduce((x, y) => x + y, 0) / bookings), byKind };
}

/** Phase I's figures, against the bare server's times for the same burst (and the idle service's). */
function intakeFigures(i: PhaseI, idleAcceptP50: number) {
  return {
    bookings: i.sent.length,
    latencyMs: i.latencyMs,
    acceptP50Ms: r1(i.acceptP50),
    acceptP99Ms: r1(i.acceptP99),
    bareAcceptP50Ms: r1(i.bare.p50),
    bareAcceptP99Ms: r1(i.bare.p99),
    acceptP99VsBare: r1(i.acceptP99 / i.bare.p99),
    idleAcceptP50Ms: r1(idleAcceptP50),
    acceptP99VsIdle: r1(i.acceptP99 / idleAcceptP50),
    lastAcceptedSeconds: r2(i.lastAcceptedMs / 1000),
    runSeconds: r2(i.runMs / 1000),
    statementsPerBooking: perBooking(i.statements, i.sent.length),
  };
}

function figures(a: PhaseA, b: PhaseB, i: PhaseI) {
  const bareP50 = {
    search: percentile(a.bare.search, 50),
    insert: percentile(a.bare.insert, 50),
    note: percentile(a.bare.note, 50),
  };
  const roundTrip = { new: 2 * bareP50.search + bareP50.insert + bareP50.note, repeat: bareP50.note };
  const latency = (kind: 'new' | 'repeat') => ({
    p50: r1(a[kind].latency.p50),
    p99: r1(a[kind].latency.p99),
    p50VsBareNote: r1(a[kind].latency.p50 / bareP50.note),
    p99VsBareNote: r1(a[kind].latency.p99 / bareP50.note),
    p50VsBareRoundTrip: r1(a[kind].latency.p50 / roundTrip[kind]),
    p99VsBareRoundTrip: r1(a[kind].latency.p99 / roundTrip[kind]),
    bareRoundTripMs: r2(roundTrip[kind]),
  });
  const bookings = a.sent.length;
  const callsPerBooking = a.observedCalls / bookings;
  const bookingsPerSecond = bookings / (a.runMs / 1000);
  const throughputBaseline = a.bare.callsPerSecond / callsPerBooking;
  return {
    machine: {
      nproc: os.availableParallelism(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
    },
    phaseA: {
      bookings,
      newBookings: a.new.bookings,
      repeatBookings: a.repeat.bookings,
      callsPerBooking: {
        new: r2(a.new.callsPerBooking),
        repeat: r2(a.repeat.callsPerBooking),
        newVsMinimum: r2(a.new.callsPerBooking / minimumCalls.new),
        repeatVsMinimum: r2(a.repeat.callsPerBooking / minimumCalls.repeat),
        observedCalls: a.observedCalls,
        sandboxLogCalls: a.sandboxCalls,
      },
      latencyMs: { new: latency('new'), repeat: latency('repeat') },
      bareMs: {
        searchP50: r2(bareP50.search),
        insertP50: r2(bareP50.insert),
        noteP50: r2(bareP50.note),
        noteP99: r2(percentile(a.bare.note, 99)),
        callsPerSecond: r1(a.bare.callsPerSecond),
      },
      throughput: {
        bookingsPerSecond: r1(bookingsPerSecond),
        baseline: r1(throughputBaseline),
        ratio: r2(bookingsPerSecond / throughputBaseline),
        runSeconds: r2(a.runMs / 1000),
        lastAcceptedSeconds: r2(a.lastAcceptedMs / 1000),
        longestGapMs: a.longestGapMs,
        longestGapFromMs: a.longestGapFromMs,
      },
      tooManyRequests: a.tooManyRequests,
      duplicateContacts: a.duplicates,
      statementsPerBooking: perBooking(a.statements, bookings),
      idle: {
        bookings: a.idle.bookings,
        acceptP50Ms: r1(a.idle.acceptP50),
        noteP50Ms: r1(a.idle.noteP50),
        noteVsBareRoundTrip: r1(a.idle.noteP50 / roundTrip.new),
      },
    },
    phaseI: intakeFigures(i, a.idle.acceptP50),
    phaseB: {
      bookings: b.sent.length,
      latencyMs: b.latencyMs,
      concurrencyLimit: b.concurrency,
      edition: b.edition,
      runSeconds: r2(b.runMs / 1000),
      lastAcceptedSeconds: r2(b.lastAcceptedMs / 1000),
      longestGapMs: b.longestGapMs,
      longestGapFromMs: b.longestGapFromMs,
      calls: b.calls,
      servedCalls: b.served,
      boundSeconds: r2(b.boundMs / 1000),
      runVsBound: r2(b.runMs / b.boundMs),
      tooManyRequests: b.tooManyRequests,
      statementsPerBooking: perBooking(b.statements, b.sent.length),
    },
  };
}

/** Phase I's rows, for the shape `shape` names. */
function intakeRows(i: ReturnType<typeof intakeFigures>, shape: string): string[][] {
  const kinds = Object.entries(i.statementsPerBooking.byKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(' · ');
  return [
    [
      `I (${shape}): ${i.bookings} bookings (new attendees) at sandbox latency ${i.latencyMs} ms: intake while the sync drains`,
      '',
      '',
      '',
    ],
    [
      'Time to 202 p50 (ms)',
      String(i.acceptP50Ms),
      `bare node:http server, same burst: p50 ${i.bareAcceptP50Ms} ms`,
      `${r1(i.acceptP50Ms / i.bareAcceptP50Ms)}×`,
    ],
    [
      'Time to 202 p99 (ms)',
      String(i.acceptP99Ms),
      `bare server p99 ${i.bareAcceptP99Ms} ms (idle service p50 ${i.idleAcceptP50Ms} ms)`,
      `${i.acceptP99VsBare}×`,
    ],
    [
      'Last 202 of the burst after (s)',
      String(i.lastAcceptedSeconds),
      `run time ${i.runSeconds} s`,
      `${r2(i.lastAcceptedSeconds / i.runSeconds)}×`,
    ],
    ['Database statements / booking', String(i.statementsPerBooking.total), kinds, ''],
  ];
}

function table(
  f: ReturnType<typeof figures> & { phaseIPostgres: ReturnType<typeof intakeFigures> | null },
): string {
  const { phaseA: a, phaseB: b, phaseI: i } = f;
  const kinds = (s: { byKind: Record<string, number> }) =>
    Object.entries(s.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(' · ');
  const lat = (kind: 'new' | 'repeat', p: 'p50' | 'p99') => {
    const l = a.latencyMs[kind];
    return [
      `Accepted → Note ${p}, ${kind} attendee (ms)`,
      String(l[p]),
      `round trip ${l.bareRoundTripMs} ms · Note p50 ${a.bareMs.noteP50} ms`,
      `${l[p === 'p50' ? 'p50VsBareRoundTrip' : 'p99VsBareRoundTrip']}× · ${l[p === 'p50' ? 'p50VsBareNote' : 'p99VsBareNote']}×`,
    ];
  };
  const rows = [
    ['Figure', 'Measured', 'Baseline (same run)', 'Ratio'],
    [
      `A: ${a.bookings} bookings (${a.newBookings} new, ${a.repeatBookings} repeat), sandbox latency 0`,
      '',
      '',
      '',
    ],
    [
      'Zoho calls / booking, new attendee',
      String(a.callsPerBooking.new),
      '4 (minimum)',
      `${a.callsPerBooking.newVsMinimum}×`,
    ],
    [
      'Zoho calls / booking, repeat attendee',
      String(a.callsPerBooking.repeat),
      '1 (minimum)',
      `${a.callsPerBooking.repeatVsMinimum}×`,
    ],
    lat('new', 'p50'),
    lat('new', 'p99'),
    lat('repeat', 'p50'),
    lat('repeat', 'p99'),
    [
      'Bookings synced / s',
      String(a.throughput.bookingsPerSecond),
      `${a.throughput.baseline} (bare ${a.bareMs.callsPerSecond} calls/s ÷ calls/booking)`,
      `${a.throughput.ratio}×`,
    ],
    [
      'Last 202 of the burst after (s)',
      String(a.throughput.lastAcceptedSeconds),
      `run time ${a.throughput.runSeconds} s`,
      `${r2(a.throughput.lastAcceptedSeconds / a.throughput.runSeconds)}×`,
    ],
    [
      'Longest time with no Zoho reply (ms)',
      String(a.throughput.longestGapMs),
      `bare Note p50 ${a.bareMs.noteP50} ms`,
      `${r1(a.throughput.longestGapMs / a.bareMs.noteP50)}×`,
    ],
    ['429s received; duplicate Contacts', `${a.tooManyRequests}; ${a.duplicateContacts}`, '0; 0', ''],
    [
      'Database statements / booking',
      String(a.statementsPerBooking.total),
      kinds(a.statementsPerBooking),
      '',
    ],
    [
      `One booking to the idle service, new attendee: 202 → Note (ms, p50 of ${a.idle.bookings})`,
      String(a.idle.noteP50Ms),
      `round trip ${a.latencyMs.new.bareRoundTripMs} ms`,
      `${a.idle.noteVsBareRoundTrip}×`,
    ],
    ...intakeRows(i, 'PGlite, npm start'),
    [
      `B: ${b.bookings} bookings, ${b.edition} edition, sandbox latency ${b.latencyMs} ms, concurrency limit ${b.concurrencyLimit}`,
      '',
      '',
      '',
    ],
    [
      'Run time, first send → last done (s)',
      String(b.runSeconds),
      `bound ${b.boundSeconds} s (${b.servedCalls} calls × ${b.latencyMs} ms ÷ ${b.concurrencyLimit})`,
      `${b.runVsBound}×`,
    ],
    [
      'Last 202 of the burst after (s)',
      String(b.lastAcceptedSeconds),
      `run time ${b.runSeconds} s`,
      `${r2(b.lastAcceptedSeconds / b.runSeconds)}×`,
    ],
    [
      'Longest time with no Zoho reply (ms)',
      String(b.longestGapMs),
      `sandbox latency ${b.latencyMs} ms`,
      `${r1(b.longestGapMs / b.latencyMs)}×`,
    ],
    ['429s received (of calls made)', `${b.tooManyRequests} (of ${b.calls})`, '0', ''],
    [
      'Database statements / booking',
      String(b.statementsPerBooking.total),
      kinds(b.statementsPerBooking),
      '',
    ],
    ...(f.phaseIPostgres
      ? intakeRows(f.phaseIPostgres, 'PostgreSQL, npm start with DATABASE_URL')
      : [['I on PostgreSQL: set DATABASE_URL or TEST_DATABASE_URL to measure it', '', '', '']]),
  ];
  return renderTable(rows);
}

/**
 * Phase I again with the service on PostgreSQL (`npm start` with `DATABASE_URL`), when
 * `DATABASE_URL` or `TEST_DATABASE_URL` names a server: a schema of its own there, dropped after.
 */
async function phaseIOnPostgres(url: string | undefined) {
  if (!url) return undefined;
  const stack = await startStack({ postgres: url });
  try {
    const org = await stack.createOrg('Bench I (PostgreSQL)');
    await stack.connect(demoUsers[0].id, org);
    const idle = await idleBookings(stack, config.a.idleBookings);
    // Warmed as the embedded run is by phase A before its phase I: a burst as large as phase A's,
    // synced before the measured one starts (a service that has run a while, not one compiling
    // its PostgreSQL driver's code under the burst).
    const warmUp = await phaseI(stack, org.org_id, {
      ...config.i,
      bookings: config.a.bookings,
      latencyMs: 0,
      label: 'warm',
    });
    const i = await phaseI(stack, org.org_id, config.i);
    return { ...i, idle, warmUpBookings: warmUp.sent.length };
  } finally {
    await stack.close();
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const stack = await startStack();
  let a: PhaseA;
  let i: PhaseI;
  let b: PhaseB;
  try {
    a = await phaseA(stack, config.a);
    i = await phaseI(stack, a.orgId, config.i);
    b = await phaseB(stack, config.b);
  } finally {
    await stack.close();
  }
  const pg = await phaseIOnPostgres(process.env['DATABASE_URL'] || process.env['TEST_DATABASE_URL']);
  {
    const f = { ...figures(a, b, i), phaseIPostgres: pg ? intakeFigures(pg, pg.idle.acceptP50) : null };
    // Phase I's host is phase A's: its settled events include A's.
    const failed = [...i.settled, ...b.settled, ...(pg?.settled ?? [])].filter((s) => s.status !== 'done');
    const missing =
      a.sent.length +
      a.idle.bookings +
      i.sent.length +
      b.sent.length -
      i.settled.length -
      b.settled.length +
      (pg ? pg.sent.length + pg.idle.bookings + pg.warmUpBookings - pg.settled.length : 0);
    process.stdout.write(`${table(f)}\n\nTotal bench time ${r1((Date.now() - started) / 1000)} s\n`);
    for (const s of failed) process.stderr.write(`not synced: ${s.id} ${s.status} ${s.detail ?? ''}\n`);
    if (missing > 0) process.stderr.write(`not synced: ${missing} events were never recorded\n`);
    process.stdout.write(`${JSON.stringify({ ...f, notSynced: failed.map((s) => s.id) })}\n`);
    return failed.length + missing > 0 ? 1 : 0;
  }
}

(process.argv.includes('--scaled') ? mainScaled(process.argv) : main()).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A usage error (no database for --scaled) is its message alone; anything else, its stack.
    const usage = err instanceof Error && err.name === 'UsageError';
    process.stderr.write(
      `${err instanceof Error ? (usage ? err.message : (err.stack ?? err.message)) : String(err)}\n`,
    );
    process.exit(1);
  },
);
