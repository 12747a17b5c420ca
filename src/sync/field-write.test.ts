import { describe, expect, it } from 'vitest';
import type { RecordResult } from '../zoho/api.ts';
import { createWithRowValues, type RowValues } from './field-write.ts';

const rv = (values: Record<string, unknown>, warnings: string[] = []): RowValues => ({
  values,
  warnings,
  missing: [],
  target: 'Leads',
  labels: new Map([
    ['Title', 'Job title'],
    ['Budget', 'Budget'],
  ]),
});
const refused = (apiName: string, message = 'invalid data'): RecordResult => ({
  ok: false,
  code: 'INVALID_DATA',
  message,
  details: { api_name: apiName },
});

/** An insert answering from a script, keeping what it was sent. */
function scripted(...answers: RecordResult[]) {
  const sent: Array<Record<string, unknown>> = [];
  return {
    sent,
    insert: async (record: Record<string, unknown>) => {
      sent.push({ ...record });
      return answers.shift() ?? { ok: true as const, id: '1' };
    },
  };
}

describe('createWithRowValues', () => {
  it('a value Zoho refuses is left out and the record sent again, once per field, with a warning', async () => {
    const s = scripted(refused('Title', 'not allowed'), refused('Budget'));
    const out = await createWithRowValues(
      s.insert,
      { Title: 'x', Budget: 5, Last_Name: 'L' },
      rv({ Title: 'x', Budget: 5 }, ['earlier']),
    );
    expect(s.sent).toEqual([
      { Title: 'x', Budget: 5, Last_Name: 'L' },
      { Budget: 5, Last_Name: 'L' },
      { Last_Name: 'L' },
    ]);
    expect(out.result).toEqual({ ok: true, id: '1' });
    expect(out.warnings).toEqual([
      'earlier',
      'Field “Job title” of the new Lead left empty: Zoho CRM refused its value (not allowed).',
      'Field “Budget” of the new Lead left empty: Zoho CRM refused its value (invalid data).',
    ]);
  });

  it('a refusal of PepoSmart’s own field, or another code, is the answer as it is', async () => {
    for (const answer of [
      refused('Last_Name'),
      { ok: false as const, code: 'MANDATORY_NOT_FOUND', message: 'm', details: { api_name: 'Title' } },
    ]) {
      const s = scripted(answer);
      const out = await createWithRowValues(s.insert, { Title: 'x', Last_Name: 'L' }, rv({ Title: 'x' }));
      expect(s.sent).toHaveLength(1);
      expect(out).toEqual({ result: answer, warnings: [] });
    }
  });

  it('the same field refused twice is not retried a third time', async () => {
    const s = scripted(refused('Title'), refused('Title'));
    const out = await createWithRowValues(s.insert, { Title: 'x', Last_Name: 'L' }, rv({ Title: 'x' }));
    expect(s.sent).toHaveLength(2);
    expect(out.result.ok).toBe(false);
  });
});
