import { describe, expect, it } from 'vitest';
import type { ZohoRecord } from '../../scripts/soak/admin.ts';
import { type AuditInput, audit } from '../../scripts/soak/audit.ts';
import type { BookingType, SendResult } from '../../scripts/soak/load.ts';
import { eventsFromMetrics } from '../../scripts/soak/shapes.ts';

/** The soak's counting (scripts/soak/audit.ts): a soak that cannot see a loss proves nothing. */
const user = { id: 'usr_1', email: 'host@soak.test', name: 'Host', orgId: 'org1' };

function sent(
  id: string,
  bookingId: string,
  attendees: string[],
  type: BookingType = 'booking.created',
): SendResult {
  return {
    planned: { id, type, bookingId, user, attendees, body: '' },
    accepted: true,
    attempts: 1,
    serverErrors: 0,
    acceptedAt: 0,
  };
}

const person = (id: string, email: string): ZohoRecord => ({ id, Email: email });
const verb = { 'booking.created': 'Meeting booked', 'booking.cancelled': 'Meeting cancelled' } as const;
const noteOn = (
  id: string,
  parent: string,
  bookingId: string,
  type: keyof typeof verb = 'booking.created',
) => ({
  id,
  Note_Title: `${verb[type]}: Discovery call`,
  Note_Content: `${verb[type]}: Discovery call\nWhen: …\n\nBooking id: ${bookingId} · logged by PepoSmart`,
  Parent_Id: { id: parent },
});

function input(over: Partial<AuditInput> = {}): AuditInput {
  return {
    sent: [sent('e1', 'bk1', ['ada@x.example']), sent('e2', 'bk1', ['ada@x.example'], 'booking.cancelled')],
    events: [
      { id: 'e1', status: 'done', detail: null },
      { id: 'e2', status: 'done', detail: null },
    ],
    refs: [
      { userId: 'usr_1', kind: 'person', module: 'Contacts', zohoId: 'c1' },
      { userId: 'usr_1', kind: 'note', module: 'Notes', zohoId: 'n1' },
    ],
    orgOfUser: new Map([['usr_1', 'org1']]),
    orgs: [
      {
        orgId: 'org1',
        contacts: [person('c1', 'Ada@X.example')],
        leads: [],
        notes: [noteOn('n1', 'c1', 'bk1'), noteOn('n2', 'c1', 'bk1', 'booking.cancelled')],
      },
    ],
    ...over,
  };
}

describe('soak audit', () => {
  it('a clean run: every Note of every done event found, one per event and attendee (another event of the same booking is no duplicate)', () => {
    const a = audit(input());
    expect(a).toMatchObject({ accepted: 2, done: 2, notesExpected: 2, notesFound: 2, lost: 0 });
    expect(a).toMatchObject({ duplicatePeople: 0, duplicateNotes: 0, recordsGone: 0, orphanNotes: 0 });
  });

  it('counts as lost an accepted event the database lacks, one still in progress, one failed, and a done one whose Note is missing', () => {
    const a = audit(
      input({
        sent: [
          sent('e1', 'bk1', ['ada@x.example']),
          sent('e3', 'bk3', ['bob@x.example']),
          sent('e4', 'bk4', ['bob@x.example']),
          sent('e5', 'bk5', ['bob@x.example']),
        ],
        events: [
          { id: 'e1', status: 'done', detail: null },
          { id: 'e4', status: 'queued', detail: null },
          { id: 'e5', status: 'failed', detail: 'Gave up' },
        ],
        orgs: [{ orgId: 'org1', contacts: [person('c1', 'ada@x.example')], leads: [], notes: [] }],
      }),
    );
    expect(a).toMatchObject({ lost: 4, notRecorded: 1, unfinished: 1, failed: 1, notesMissing: 1, done: 1 });
  });

  it('counts duplicate people across Contacts and Leads, duplicate Notes per booking event and attendee, Notes with no parent and references to records Zoho lost', () => {
    const base = input();
    const a = audit(
      input({
        refs: [...base.refs, { userId: 'usr_1', kind: 'person', module: 'Leads', zohoId: 'gone' }],
        orgs: [
          {
            orgId: 'org1',
            contacts: [person('c1', 'ada@x.example')],
            leads: [person('l1', 'ADA@x.example')],
            notes: [
              noteOn('n1', 'c1', 'bk1'),
              noteOn('n3', 'l1', 'bk1'),
              noteOn('n2', 'c1', 'bk1', 'booking.cancelled'),
              noteOn('n4', 'nobody', 'bk1'),
            ],
          },
        ],
      }),
    );
    expect(a).toMatchObject({
      lost: 0,
      duplicatePeople: 1,
      duplicateNotes: 1,
      orphanNotes: 1,
      recordsGone: 1,
    });
  });

  it('reads events by status from /metrics', () => {
    const text = [
      '# TYPE peposmart_sync_events gauge',
      'peposmart_sync_events{type="booking.created",status="done"} 7',
      'peposmart_sync_events{type="booking.created",status="queued"} 2',
      'peposmart_sync_events{type="booking.cancelled",status="waiting"} 1',
      'peposmart_connections{status="connected"} 4',
    ].join('\n');
    expect(eventsFromMetrics(text)).toEqual({ recorded: 10, inProgress: 3 });
  });
});
