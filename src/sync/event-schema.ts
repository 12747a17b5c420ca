import { z } from 'zod';
import { controlCharsMessage, storable } from '../text.ts';
import { wallClockIn } from '../zone-formats.ts';

/**
 * The scheduling platform's events (DESIGN §2.3), parsed at the boundary. Unknown fields
 * are ignored so the platform can add some; every problem is reported with its path.
 */
const isoDateTime = z.iso.datetime({ offset: true });

/**
 * L1: strings the databases cannot store (NUL in jsonb, an unpaired surrogate) or that have no
 * business in a CRM (escapes, other C0 and C1 controls) are refused with their field's path,
 * before anything is recorded. Tab and line breaks stay in free text: CR too, as a browser
 * sends a textarea's line breaks as CRLF. Identifiers and links are one line: a line break
 * there (a booking id goes into a Note's provenance line) is refused as well.
 */
const lineBreaks = /[\t\n\r\u2028\u2029]/;

export { controlCharsMessage };

const text = () => z.string().refine(storable, controlCharsMessage);
/**
 * Checked on the text as sent, before the format: `z.url()` answers the WHATWG-parsed link,
 * which drops leading and trailing controls — a refused character must not slip through there.
 */
const oneLine = <T extends z.ZodString | z.ZodEmail | z.ZodURL>(schema: T) =>
  z
    .string()
    .refine(storable, controlCharsMessage)
    .refine((s) => !lineBreaks.test(s), 'must be one line: no tab or line break')
    .pipe(schema);
/** Ids name pages' forms (`/activity/<id>/retry`): "." and ".." would be path steps there. */
const identifier = (max: number) =>
  oneLine(z.string().min(1).max(max)).refine((s) => s !== '.' && s !== '..', 'must not be "." or ".."');
/**
 * A zone is valid when a formatter can be built for it. Each valid zone's formatter is built once
 * per process and kept (zone-formats.ts: building one costs more than the rest of an event's
 * parse, issue 13); an invalid name throws before anything is kept, so made-up names cannot grow it.
 */
const timeZone = z.string().refine((tz) => {
  try {
    wallClockIn(tz);
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');

const attendee = z.object({
  email: oneLine(z.email()),
  name: text().max(200).optional(),
  first_name: text().max(100).optional(),
  last_name: text().max(100).optional(),
  phone: text().max(50).optional(),
  timezone: timeZone.optional(),
  /** Optional beyond DESIGN §2.3: the attendee's company when the booking form asked for it. */
  company: text().trim().min(1).max(200).optional(),
});

const booking = z
  .object({
    id: identifier(200),
    host: z.object({ user_id: identifier(200), email: oneLine(z.email()), name: text().optional() }),
    title: text().min(1).max(255),
    description: text().max(10_000).optional(),
    start_time: isoDateTime,
    end_time: isoDateTime,
    timezone: timeZone,
    video_url: oneLine(z.url()).optional(),
    location: text().max(500).optional(),
    event_type: z.object({ id: oneLine(z.string()), name: text() }).optional(),
    /**
     * Optional beyond DESIGN §2.3: the booking form's answers, question label to answer, for
     * field values chosen on the Zoho card (src/sync/field-values.ts).
     */
    responses: z
      .record(text().min(1).max(200), text().max(5000))
      .refine((r) => Object.keys(r).length <= 100, 'must hold at most 100 answers')
      .optional()
      .describe('The booking form’s answers: question label → answer (at most 100)'),
    /** Optional beyond DESIGN §2.3: the booking page's UTM parameters, for field values. */
    utm: z
      .object({
        source: text().max(200).optional(),
        medium: text().max(200).optional(),
        campaign: text().max(200).optional(),
        term: text().max(200).optional(),
        content: text().max(200).optional(),
      })
      .optional()
      .describe('UTM parameters of the booking page the attendee booked from'),
    attendees: z.array(attendee).min(1).max(100),
    cancel_reason: text().max(2000).optional(),
  })
  .refine((b) => Date.parse(b.end_time) >= Date.parse(b.start_time), {
    path: ['end_time'],
    message: 'must not be before start_time',
  });

const actionItem = z.object({
  text: text().min(1).max(2000),
  priority: text().optional(),
  due: text().optional(),
  owner: text().optional(),
});

const transcriptLine = z.object({
  speaker: text(),
  role: z.enum(['host', 'attendee']).optional(),
  start_ms: z.number().int().min(0).optional(),
  text: text(),
});

const envelope = {
  id: identifier(200),
  created_at: isoDateTime,
  workspace_id: identifier(200),
};

export const eventSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('booking.created'), data: z.object({ booking }) }),
  z.object({ ...envelope, type: z.literal('booking.rescheduled'), data: z.object({ booking }) }),
  z.object({ ...envelope, type: z.literal('booking.cancelled'), data: z.object({ booking }) }),
  z.object({
    ...envelope,
    type: z.literal('meeting.notes_processed'),
    data: z.object({
      booking_id: identifier(200),
      summary: text().max(50_000).optional(),
      action_items: z.array(actionItem).max(100).optional(),
      transcript: z.array(transcriptLine).max(20_000).optional(),
    }),
  }),
]);

export type PlatformEvent = z.infer<typeof eventSchema>;
export type BookingEvent = Extract<PlatformEvent, { data: { booking: unknown } }>;

/** The booking an event is about: a booking event's own, meeting notes' `booking_id`. */
export const bookingIdOf = (e: PlatformEvent): string =>
  'booking' in e.data ? e.data.booking.id : e.data.booking_id;

export interface FieldProblem {
  path: string;
  message: string;
}

export function parseEvent(
  body: unknown,
): { ok: true; event: PlatformEvent } | { ok: false; details: FieldProblem[] } {
  const parsed = eventSchema.safeParse(body);
  if (parsed.success) return { ok: true, event: parsed.data };
  return {
    ok: false,
    details: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
  };
}
