import { describe, expect, it } from 'vitest';
import { noteContent, recordResultsOf } from './api.ts';

describe('Zoho record writes', () => {
  it('never send an empty Note_Content (mandatory at Zoho): the title stands in', () => {
    expect(noteContent('Meeting booked: Intro', 'When: Tue 10:00')).toBe('When: Tue 10:00');
    expect(noteContent('Meeting booked: Intro', '')).toBe('Meeting booked: Intro');
    expect(noteContent('Meeting booked: Intro', ' \n\t')).toBe('Meeting booked: Intro');
  });

  it('read one result per record, in order, from a 201, a 207 or a 400', () => {
    const body = {
      data: [
        {
          code: 'SUCCESS',
          status: 'success',
          details: { id: '5725767000000000001' },
          message: 'record added',
        },
        {
          code: 'INVALID_DATA',
          status: 'error',
          details: { api_name: 'Who_Id' },
          message: 'the related id given seems to be invalid',
        },
      ],
    };
    expect(recordResultsOf(body)).toEqual([
      { ok: true, id: '5725767000000000001' },
      {
        ok: false,
        code: 'INVALID_DATA',
        message: 'the related id given seems to be invalid',
        details: { api_name: 'Who_Id' },
      },
    ]);
    expect(recordResultsOf({ data: [{ code: 'SUCCESS', status: 'success', details: {} }] })).toBeUndefined();
  });
});
