import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSamples, sampleAttendee, samplesDir } from './samples.ts';

describe('Try it sample meetings', () => {
  it('are the labelled fixtures, each with a meeting, a stage and a transcript', () => {
    const samples = loadSamples();
    // Every labelled transcript in the folder, in file order, the first nine as they always were.
    const files = fs.readdirSync(samplesDir).filter((f) => f.endsWith('.json'));
    expect(samples).toHaveLength(files.length);
    expect(samples.map((s) => s.id)).toEqual([...samples.map((s) => s.id)].sort());
    expect(samples.map((s) => s.id)).toEqual(
      expect.arrayContaining(['f01', 'f02', 'f03', 's01', 's02', 's03', 's04', 's05', 's06']),
    );
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
