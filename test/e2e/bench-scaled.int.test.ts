import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../helpers/db.ts';
import { captureLines } from '../helpers/logs.ts';

/**
 * `npm run bench -- --scaled --quick` (phase C, small) runs against PostgreSQL with every part
 * its own process, and its behavioural figures hold for 1 and 2 workers: every booking done,
 * Zoho's minimum of calls, no 429, no duplicate person. Its timings are printed, never asserted.
 */
describe('npm run bench -- --scaled --quick', () => {
  let child: ReturnType<typeof spawn> | undefined;
  afterEach(() => {
    // The bench ends its service processes on SIGTERM.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    child = undefined;
  });

  it('syncs every booking across processes with the minimum of Zoho calls, no 429 and no duplicate', async () => {
    child = spawn(process.execPath, ['bench/sync.ts', '--scaled', '--quick'], {
      env: { ...process.env, DATABASE_URL: '', TEST_DATABASE_URL: testDatabaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise((resolve) => child!.once('exit', resolve));
    captureLines(out);
    expect(code, out).toBe(0);
    const { phaseC, notSynced } = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(notSynced).toEqual([]);
    expect(phaseC.runs.map((r: { workers: number }) => r.workers)).toEqual([1, 2]);
    for (const run of phaseC.runs) {
      expect(run.callsPerBooking).toMatchObject({ new: 4, repeat: 1, excess: 0 });
      expect(run.tooManyRequests).toBe(0);
      expect(run.duplicates).toBe(0);
      expect(run.newBookings + run.repeatBookings).toBe(run.bookings);
    }
  }, 120_000);
});
