import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSamples, sampleAttendee } from './samples.ts';

describe('Try it sample meetings', () => {
  it('are the labelled fixtures, each with a meeting, a stage and a transcript', () => {
    const samples = loadSamples();
    expect(samples.map((s) => s.id)).toEqual(['f01', 'f02', 'f03', 's01', 's02', 's03', 's04', 's05', 's06']);
    for (const s of samples) expect(s.transcript.some((t) => t.role === 'attendee')).toBe(true);
  });

  it('offer the first attendee speaker as the demo attendee', () => {
    const [f01] = loadSamples();
    expect(sampleAttendee(f01!)).toEqual({ name: 'Tom Alvarez', email: 'tom.alvarez@customer.example' });
  });

  it('a file that is not a sample is an error naming it, not skipped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samples-'));
    try {
      fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ id: 'x', meeting: {} }));
      expect(() => loadSamples(dir)).toThrow(/broken\.json: not a labelled transcript/);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
