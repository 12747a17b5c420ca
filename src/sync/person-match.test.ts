import { describe, expect, it } from 'vitest';
import type { PersonHit } from '../zoho/api.ts';
import { pickPerson } from './person-match.ts';

const hit = (id: string, emails: string[], modifiedTime: string | null = null): PersonHit => ({
  id,
  emails,
  modifiedTime,
});

describe('pickPerson: which search hit is the attendee', () => {
  it('takes only a hit whose Email or Secondary_Email equals the address, ignoring case and spaces', () => {
    expect(pickPerson([hit('1', ['ADA@Example.com'])], ' ada@example.com')).toEqual({ id: '1', exact: 1 });
    expect(pickPerson([hit('2', ['other@x.io', 'ada@example.com'])], 'ada@example.com')).toEqual({
      id: '2',
      exact: 1,
    });
  });

  it('never takes a hit whose address only contains the one asked for (Zoho matches loosely)', () => {
    const hits = [hit('1', ['mada@example.com']), hit('2', ['ada@example.com.au']), hit('3', [])];
    expect(pickPerson(hits, 'ada@example.com')).toBeUndefined();
  });

  it('of several exact hits takes the one changed most recently, and counts them', () => {
    const hits = [
      hit('5725767000000000001', ['ada@example.com'], '2026-11-01T10:00:00+01:00'),
      hit('5725767000000000002', ['ada@example.com'], '2026-11-03T09:00:00-05:00'),
      hit('5725767000000000003', ['mada@example.com'], '2026-12-01T00:00:00+00:00'),
      hit('5725767000000000004', ['Ada@example.com'], '2026-11-03T13:59:59+00:00'),
    ];
    expect(pickPerson(hits, 'ada@example.com')).toEqual({ id: '5725767000000000002', exact: 3 });
  });

  it('breaks a tie, or missing times, by the newest id', () => {
    const hits = [hit('5725767000000000009', ['a@b.co']), hit('5725767000000000010', ['a@b.co'])];
    expect(pickPerson(hits, 'a@b.co')?.id).toBe('5725767000000000010');
    const dated = [hit('5725767000000000009', ['a@b.co'], '2026-01-01T00:00:00Z'), hit('10', ['a@b.co'])];
    expect(pickPerson(dated, 'a@b.co')?.id).toBe('5725767000000000009');
  });

  it('leaves out a record known to be gone', () => {
    const hits = [hit('1', ['a@b.co'], '2026-12-01T00:00:00Z'), hit('2', ['a@b.co'], '2026-01-01T00:00:00Z')];
    expect(pickPerson(hits, 'a@b.co', ['1'])).toEqual({ id: '2', exact: 1 });
    expect(pickPerson(hits, 'a@b.co', ['1', '2'])).toBeUndefined();
  });
});
