import { describe, expect, it } from 'vitest';
import { MAX_SENTENCE_CHARS, sentencesOf } from './sentence.ts';

const meeting = {
  title: 'Call',
  start_time: '2026-03-10T09:00:00Z',
  end_time: '2026-03-10T10:00:00Z',
  timezone: 'UTC',
};

describe('sentences', () => {
  it('reads a turn with no full stop for minutes in pieces, every word kept', () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `word${i}`);
    const [first, ...rest] = sentencesOf({
      meeting,
      transcript: [
        { speaker: 'Ana', role: 'host', text: 'Hello there.' },
        { speaker: 'Ben', role: 'attendee', text: words.join(' ') },
      ],
    });
    expect(first).toMatchObject({ text: 'Hello there.', role: 'host', turn: 0 });
    expect(rest.length).toBeGreaterThan(1);
    for (const s of rest) {
      expect(s.text.length).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
      expect(s).toMatchObject({ speaker: 'Ben', role: 'attendee', turn: 1 });
    }
    expect(rest.map((s) => s.text).join(' ')).toBe(words.join(' '));
  });
});
