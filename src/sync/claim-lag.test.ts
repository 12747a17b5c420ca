import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTLE_MS, lagFor } from './claim-lag.ts';

describe('the wait before an unanswered create is looked for', () => {
  it('R3: a Note or Task, read from its record, waits only for Zoho to finish saving, not the search lag', () => {
    for (const kind of ['note', 'task']) {
      expect(lagFor(kind, { searchLagMs: 60_000 }).ms).toBe(DEFAULT_SETTLE_MS);
      expect(lagFor(kind, { searchLagMs: 60_000, settleMs: 2_000 }).ms).toBe(2_000);
      // Never longer than the search lag, which counts from the same send.
      expect(lagFor(kind, { searchLagMs: 1_500 }).ms).toBe(1_500);
    }
  });

  it('a person, found by an email search, and any other kind wait the search lag', () => {
    expect(lagFor('person', { searchLagMs: 60_000, settleMs: 2_000 }).ms).toBe(60_000);
    expect(lagFor('something-new', { searchLagMs: 60_000, settleMs: 2_000 }).ms).toBe(60_000);
  });

  it('R2: says what the event is waiting for', () => {
    expect(lagFor('person', { searchLagMs: 60_000 }).reason('the Contact for ada@x.example')).toBe(
      'Checking whether Zoho CRM saved the Contact for ada@x.example, sent earlier without an answer, before sending it again: Zoho’s search shows a new record only after up to 60 s.',
    );
    expect(lagFor('note', { searchLagMs: 60_000, settleMs: 2_500 }).reason('the note “Booked”')).toBe(
      'Checking whether Zoho CRM saved the note “Booked”, sent earlier without an answer, before sending it again: Zoho may still be saving it for up to 3 s.',
    );
  });
});
