import os from 'node:os';
import type { ShapeResult } from './run.ts';

/** The table printed per shape, and whether the shape passed. */
export function failures(r: ShapeResult): string[] {
  const a = r.audit;
  return [
    a.lost > 0 ? `${a.lost} events lost` : '',
    a.recordsGone > 0 ? `${a.recordsGone} records the app keeps are gone from the sandbox` : '',
    a.duplicatePeople > 0 ? `${a.duplicatePeople} duplicate people` : '',
    a.duplicateNotes > 0 ? `${a.duplicateNotes} duplicate Notes` : '',
    a.notAccepted > 0 ? `${a.notAccepted} events never accepted` : '',
    r.drained ? '' : 'the backlog did not drain within the time bound',
  ].filter(Boolean);
}

const list = (xs: number[]) => (xs.length ? xs.join(', ') : '–');

export function table(r: ShapeResult): string {
  const a = r.audit;
  const c = r.chaos;
  const kills = Object.entries(c.kills)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  const rows: Array<[string, string]> = [
    [
      'Events sent / accepted',
      `${a.sent} / ${a.accepted} (${r.resends} re-sends, ${r.apiServerErrors} 5xx from the event API)`,
    ],
    [
      'Done / failed / skipped / unfinished',
      `${a.done} / ${a.failed} / ${a.skipped} / ${a.unfinished + a.notRecorded}`,
    ],
    ['Notes expected / found in the sandbox', `${a.notesExpected} / ${a.notesFound}`],
    ['LOST (accepted, not done or Note missing)', String(a.lost)],
    ['Records gone from the sandbox (app keeps a ref)', String(a.recordsGone)],
    ['DUPLICATE people / Notes (in the sandbox)', `${a.duplicatePeople} / ${a.duplicateNotes}`],
    ['Notes with no parent person', String(a.orphanNotes)],
    ['SIGKILLs', `${Object.values(c.kills).reduce((s, n) => s + n, 0)} (${kills || 'none'})`],
    ['Stalls (SIGSTOP past the heartbeat)', String(c.stalls)],
    [
      'CRM calls; injected 5xx / dropped / 429',
      `${r.calls.crm}; ${r.calls.faulted5xx} / ${r.calls.dropped} / ${r.calls.answered429} (${c.faults.bursts429} bursts)`,
    ],
    ['Refreshes per connection before any storm', list(c.refreshesBeforeStorms)],
    ...c.storms.map((s, i): [string, string] => [
      `Refreshes per connection, storm ${i + 1} (at ${Math.round(s.at / 1000)} s)`,
      list(s.refreshes),
    ]),
    ['Refresh attempts Zoho refused', String(c.refreshFailures)],
    [
      'Setup / load / drain (s)',
      `${r.setupS} / ${r.loadS} / ${r.drainS}${r.drained ? '' : ' (NOT drained)'}`,
    ],
    [
      'Process starts',
      Object.entries(r.starts)
        .map(([n, s]) => `${n} ${s}`)
        .join(', '),
    ],
    ['Log lines warn / error / fatal', `${r.logLines.warn} / ${r.logLines.error} / ${r.logLines.fatal}`],
  ];
  if (r.unexpectedExits.length) rows.push(['Exits nobody asked for', r.unexpectedExits.join('; ')]);
  if (c.restartFailures.length) rows.push(['Failed restarts', c.restartFailures.join('; ')]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const failed = failures(r);
  return [
    `== ${r.shape}: ${r.description}`,
    ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`),
    ...a.examples.map((e) => `  ! ${e}`),
    failed.length ? `FAIL: ${failed.join('; ')}` : 'PASS: nothing lost, nothing duplicated',
  ].join('\n');
}

export const machine = () =>
  `${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()} ${os.arch()}, node ${process.version}`;
