import { z } from 'zod';
import { wallClockIn } from '../zone-formats.ts';
import { type RecordResult, recordResultsOf } from './api.ts';
import { ZohoError } from './errors.ts';
import type { AuthSource, ZohoTransport } from './transport.ts';

/**
 * Meetings: records of Zoho's `Events` module. Field api names as the official SDK lists them
 * (`Field.Events` in @zohocrm/typescript-sdk-8.0: Event_Title, Start_DateTime, End_DateTime,
 * Venue, Description, Owner, Who_Id, What_Id, Participants); a participant is
 * `{ type: "contact" | "lead" | "user" | "email", participant: id or address }` (the SDK's
 * `record/participants`, crm-oas v8.0/record.json `Participants`, Zoho's Events response page, and
 * the insert sample of Zoho's "Kaizen #8: Handling recurrence and participants in the Events module").
 */
export type MeetingPerson = { module: 'Contacts' | 'Leads'; id: string };

export interface Meeting {
  title: string;
  /** ISO instants, written in `timeZone`'s offset (zohoDateTime). */
  start: string;
  end: string;
  timeZone: string;
  venue: string | undefined;
  description: string;
  ownerId: string | null;
  /** The record the meeting is with: `Who_Id` for a Contact, `What_Id` + `$se_module` for a Lead. */
  about: MeetingPerson;
  participants: readonly MeetingPerson[];
  /** Further values the user chose for the meeting's fields (their field rows). */
  fields?: Record<string, unknown>;
}

/** Zoho's text fields of a meeting hold at most 255 characters (Event_Title, Venue). */
export const MEETING_TEXT_MAX = 255;

/**
 * An instant as Zoho writes a datetime, `yyyy-MM-ddTHH:mm:ss±HH:mm` without milliseconds
 * (ZOHO-API.md §4), at the offset `timeZone` has at that instant: the meeting shows at the
 * booking's own wall-clock time, whatever the Zoho user's zone.
 */
export function zohoDateTime(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    wallClockIn(timeZone)
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  // "GMT" at offset zero, else "GMT+05:30"; a historic seconds part is not Zoho's format.
  const offset = /([+-]\d{2}:\d{2})/.exec(String(parts['timeZoneName']))?.[1] ?? '+00:00';
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}${offset}`;
}

/** The meeting as Zoho's insert takes it. */
export function meetingRecord(m: Meeting): Record<string, unknown> {
  const link =
    m.about.module === 'Contacts'
      ? { Who_Id: { id: m.about.id } }
      : { What_Id: { id: m.about.id }, $se_module: m.about.module };
  const seen = new Set<string>();
  const participants = [];
  for (const p of [m.about, ...m.participants]) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    participants.push({ type: p.module === 'Contacts' ? 'contact' : 'lead', participant: p.id });
  }
  return {
    ...m.fields,
    Event_Title: m.title.slice(0, MEETING_TEXT_MAX),
    Start_DateTime: zohoDateTime(m.start, m.timeZone),
    End_DateTime: zohoDateTime(m.end, m.timeZone),
    ...(m.venue ? { Venue: m.venue.slice(0, MEETING_TEXT_MAX) } : {}),
    Description: m.description,
    ...link,
    Participants: participants,
    ...(m.ownerId ? { Owner: { id: m.ownerId } } : {}),
  };
}

const invitedReply = z.object({
  data: z.array(
    z.object({ id: z.string(), Event_Title: z.string().nullish(), Description: z.string().nullish() }),
  ),
  info: z.object({ more_records: z.boolean().optional() }).optional(),
});

/** Codes with which Zoho may refuse an id that is not there any more (as for records, api.ts). */
const goneCodes = new Set(['INVALID_DATA', 'NOT_FOUND', 'RECORD_NOT_FOUND']);

export function createZohoEvents(transport: ZohoTransport) {
  /** One record's write: its result, also from a whole-call 400; a success we cannot read is unknown. */
  async function writeOne(
    auth: AuthSource,
    method: 'POST' | 'PUT',
    path: string,
    body: object,
  ): Promise<RecordResult> {
    let reply: unknown;
    try {
      reply = await transport.request(auth, { method, path, body });
    } catch (err) {
      const perRecord =
        err instanceof ZohoError && err.status === 400 ? recordResultsOf(err.body) : undefined;
      if (perRecord?.length === 1) return perRecord[0]!;
      throw err;
    }
    const results = recordResultsOf(reply);
    if (results?.length !== 1)
      throw new ZohoError(
        'transient',
        `Zoho CRM ${path}: a success reply we cannot read; its outcome is unknown`,
      );
    return results[0]!;
  }

  return {
    /** `trigger: []` keeps the org's workflow rules from firing on our write (ZOHO-API.md §4). */
    create(auth: AuthSource, meeting: Meeting, trigger?: string[]): Promise<RecordResult> {
      return writeOne(auth, 'POST', '/Events', {
        data: [meetingRecord(meeting)],
        ...(trigger ? { trigger } : {}),
      });
    },

    /** Changes some of the meeting's fields (`PUT /Events/{id}`, Zoho's update of one record). */
    update(
      auth: AuthSource,
      id: string,
      fields: Record<string, unknown>,
      trigger?: string[],
    ): Promise<RecordResult> {
      return writeOne(auth, 'PUT', `/Events/${id}`, { data: [fields], ...(trigger ? { trigger } : {}) });
    },

    /** Whether Zoho still has the meeting: 204, or a refusal naming the id, says it is gone. */
    async exists(auth: AuthSource, id: string): Promise<boolean> {
      try {
        return (await transport.request(auth, { method: 'GET', path: `/Events/${id}` })) !== undefined;
      } catch (err) {
        if (err instanceof ZohoError && (err.kind === 'not_found' || goneCodes.has(err.zohoCode ?? '')))
          return false;
        throw err;
      }
    },

    /**
     * The meetings a Contact or Lead takes part in, from its related list `Invited_Events`
     * (Zoho's related list of Events on Contacts and Leads), up to `pages` pages of 200; [] on
     * 204. Read directly, not through the search index: for looking up an unanswered create.
     */
    async invitedOn(
      auth: AuthSource,
      person: MeetingPerson,
      pages = 3,
    ): Promise<Array<{ id: string; title: string; description: string }>> {
      const out: Array<{ id: string; title: string; description: string }> = [];
      for (let page = 1; page <= pages; page++) {
        const body = await transport.request(auth, {
          method: 'GET',
          path: `/${person.module}/${person.id}/Invited_Events`,
          query: { fields: 'Event_Title,Description', per_page: 200, page },
        });
        if (body === undefined) break;
        const parsed = invitedReply.safeParse(body);
        if (!parsed.success)
          throw new ZohoError('invalid', 'Zoho CRM Invited_Events: unexpected reply shape');
        for (const m of parsed.data.data)
          out.push({ id: m.id, title: m.Event_Title ?? '', description: m.Description ?? '' });
        if (!parsed.data.info?.more_records) break;
      }
      return out;
    },
  };
}

export type ZohoEvents = ReturnType<typeof createZohoEvents>;

/** Whether a refused write may mean the meeting is gone (deleted in Zoho since we kept it). */
export function mayBeGoneMeeting(code: string): boolean {
  return goneCodes.has(code);
}
