import { describe, expect, it } from 'vitest';
import { attendeesToSync, eventTypeExcluded, leftOutMessage, onlyInternalMessage } from './attendees.ts';

const booking = (host: string, attendees: string[], eventType?: { id: string; name: string }) =>
  ({
    id: 'bk_1',
    host: { user_id: 'usr_1', email: host },
    title: 'Call',
    start_time: '2026-12-01T10:00:00Z',
    end_time: '2026-12-01T10:30:00Z',
    timezone: 'UTC',
    attendees: attendees.map((email) => ({ email })),
    ...(eventType ? { event_type: eventType } : {}),
  }) as Parameters<typeof attendeesToSync>[0];

const on = { skipInternal: true, internalDomains: [] as string[] };
const emails = (r: ReturnType<typeof attendeesToSync>) => ({
  synced: r.synced.map((a) => a.email),
  leftOut: r.leftOut.map((l) => l.attendee.email),
});

describe('attendeesToSync', () => {
  it('leaves out the host and colleagues of the host’s domain, subdomains included, in any case', () => {
    const r = attendeesToSync(
      booking('Alex@Acme.com', ['alex@acme.com', 'Jo@ACME.com', 'kim@eu.acme.com', 'ada@client.example']),
      on,
    );
    expect(emails(r)).toEqual({
      synced: ['ada@client.example'],
      leftOut: ['Jo@ACME.com', 'kim@eu.acme.com'],
    });
    expect(r.leftOut[0]!.why).toBe('the host’s own email domain (acme.com)');
  });

  it('a look-alike domain is not the host’s', () => {
    const r = attendeesToSync(booking('alex@acme.com', ['x@notacme.com', 'y@acme.com.evil.example']), on);
    expect(emails(r).leftOut).toEqual([]);
  });

  it('a free-mail host makes nobody internal', () => {
    const r = attendeesToSync(booking('alex@gmail.com', ['friend@gmail.com', 'b@GMAIL.COM']), on);
    expect(emails(r)).toEqual({ synced: ['friend@gmail.com', 'b@GMAIL.COM'], leftOut: [] });
  });

  it('listed domains are internal too (subdomains included); a listed free-mail domain is ignored', () => {
    const r = attendeesToSync(
      booking('alex@gmail.com', ['a@partner.example', 'b@x.partner.example', 'c@gmail.com']),
      {
        skipInternal: true,
        internalDomains: ['partner.example', 'gmail.com'],
      },
    );
    expect(emails(r)).toEqual({
      synced: ['c@gmail.com'],
      leftOut: ['a@partner.example', 'b@x.partner.example'],
    });
    expect(r.leftOut[0]!.why).toBe('partner.example, a domain listed as internal');
  });

  it('with the setting off only the host is left out', () => {
    const r = attendeesToSync(booking('alex@acme.com', ['alex@acme.com', 'jo@acme.com']), {
      skipInternal: false,
      internalDomains: ['acme.com'],
    });
    expect(emails(r)).toEqual({ synced: ['jo@acme.com'], leftOut: [] });
  });

  it('an address given twice is one attendee', () => {
    const r = attendeesToSync(booking('alex@acme.com', ['ada@client.example', 'ADA@client.example']), on);
    expect(emails(r).synced).toEqual(['ada@client.example']);
  });

  it('says who was left out and why, and when nobody is left', () => {
    const r = attendeesToSync(booking('alex@acme.com', ['jo@acme.com']), on);
    expect(leftOutMessage(r.leftOut)).toBe(
      'Left out as internal, not added to Zoho CRM: jo@acme.com (the host’s own email domain (acme.com)). The setting “leave out internal attendees” is on.',
    );
    expect(onlyInternalMessage(r.leftOut)).toBe(
      'Only internal attendees (jo@acme.com): nothing was synced to Zoho CRM.',
    );
    expect(leftOutMessage([])).toBeUndefined();
  });
});

describe('eventTypeExcluded', () => {
  const demo = { id: 'et_demo', name: 'Demo' };
  it('every type when nothing is chosen', () => {
    expect(
      eventTypeExcluded(booking('a@b.example', ['c@d.example'], demo), { eventTypes: null }),
    ).toBeUndefined();
    expect(eventTypeExcluded(booking('a@b.example', ['c@d.example']), { eventTypes: null })).toBeUndefined();
  });
  it('only the chosen types, by id, when some are chosen', () => {
    expect(
      eventTypeExcluded(booking('a@b.example', ['c@d.example'], demo), { eventTypes: ['et_demo'] }),
    ).toBeUndefined();
    expect(
      eventTypeExcluded(booking('a@b.example', ['c@d.example'], demo), { eventTypes: ['et_other'] }),
    ).toBe('The event type “Demo” is not among the event types synced to Zoho CRM (Zoho card setting).');
    expect(eventTypeExcluded(booking('a@b.example', ['c@d.example']), { eventTypes: [] })).toMatch(
      /names no event type/,
    );
  });
});
