import { describe, expect, it } from 'vitest';
import { meetingRecord, zohoDateTime } from './events.ts';

describe('zohoDateTime', () => {
  it('writes the instant at the zone’s offset, without milliseconds', () => {
    expect(zohoDateTime('2026-12-01T09:00:00Z', 'Europe/Berlin')).toBe('2026-12-01T10:00:00+01:00');
    expect(zohoDateTime('2026-07-01T09:00:00.123Z', 'Europe/Berlin')).toBe('2026-07-01T11:00:00+02:00');
    expect(zohoDateTime('2026-12-01T09:00:00Z', 'Asia/Kolkata')).toBe('2026-12-01T14:30:00+05:30');
    expect(zohoDateTime('2026-12-01T03:15:00Z', 'America/New_York')).toBe('2026-11-30T22:15:00-05:00');
    expect(zohoDateTime('2026-12-01T09:00:00+01:00', 'UTC')).toBe('2026-12-01T08:00:00+00:00');
  });

  it('writes midnight as 00, not 24', () => {
    expect(zohoDateTime('2026-12-01T23:00:00Z', 'Europe/Berlin')).toBe('2026-12-02T00:00:00+01:00');
  });
});

describe('meetingRecord', () => {
  const base = {
    title: 'Discovery call',
    start: '2026-12-01T09:00:00Z',
    end: '2026-12-01T09:30:00Z',
    timeZone: 'Europe/Berlin',
    venue: 'https://meet.example.com/abc',
    description: 'Booking id: bk_1 · added by PepoSmart',
    ownerId: '900',
  };

  it('links a Contact with Who_Id, and every attendee once as a participant', () => {
    const record = meetingRecord({
      ...base,
      about: { module: 'Contacts', id: '1' },
      participants: [
        { module: 'Contacts', id: '1' },
        { module: 'Leads', id: '2' },
      ],
    });
    expect(record).toEqual({
      Event_Title: 'Discovery call',
      Start_DateTime: '2026-12-01T10:00:00+01:00',
      End_DateTime: '2026-12-01T10:30:00+01:00',
      Venue: 'https://meet.example.com/abc',
      Description: 'Booking id: bk_1 · added by PepoSmart',
      Who_Id: { id: '1' },
      Participants: [
        { type: 'contact', participant: '1' },
        { type: 'lead', participant: '2' },
      ],
      Owner: { id: '900' },
    });
  });

  it('links a Lead with What_Id and $se_module; no owner or venue when there is none', () => {
    const record = meetingRecord({
      ...base,
      venue: undefined,
      ownerId: null,
      about: { module: 'Leads', id: '2' },
      participants: [{ module: 'Leads', id: '2' }],
    });
    expect(record).toMatchObject({ What_Id: { id: '2' }, $se_module: 'Leads' });
    expect(record).not.toHaveProperty('Who_Id');
    expect(record).not.toHaveProperty('Venue');
    expect(record).not.toHaveProperty('Owner');
    expect(record['Participants']).toEqual([{ type: 'lead', participant: '2' }]);
  });

  it('keeps the title and venue within 255 characters; field-row values never replace PepoSmart’s own', () => {
    const record = meetingRecord({
      ...base,
      title: 'x'.repeat(300),
      venue: 'y'.repeat(300),
      about: { module: 'Contacts', id: '1' },
      participants: [],
      fields: { Event_Title: 'from a row', Custom__c: 'kept' },
    });
    expect(record['Event_Title']).toBe('x'.repeat(255));
    expect(record['Venue']).toBe('y'.repeat(255));
    expect(record['Custom__c']).toBe('kept');
  });
});
