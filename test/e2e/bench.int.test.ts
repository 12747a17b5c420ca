import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { captureLines } from '../helpers/logs.ts';

/**
 * `npm run bench` still runs and its behavioural figures hold: Zoho's minimum of calls per
 * booking, no duplicate, no 429 against a Free org. Its timings are printed, never asserted.
 */
describe('npm run bench', () => {
  it('syncs every booking with the minimum of Zoho calls and no 429', async () => {
    const child = spawn(process.execPath, ['bench/sync.ts'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    captureLines(out);
    expect(code, out).toBe(0);
    const figures = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(figures.notSynced).toEqual([]);
    expect(figures.phaseA.callsPerBooking).toMatchObject({ new: 4, repeat: 1 });
    expect(figures.phaseA.duplicateContacts).toBe(0);
    expect(figures.phaseA.tooManyRequests).toBe(0);
    expect(figures.phaseB.tooManyRequests).toBe(0);
    expect(figures.phaseB.servedCalls).toBe(figures.phaseB.calls);
  }, 240_000);
});
