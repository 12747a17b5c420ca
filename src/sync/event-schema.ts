import { z } from 'zod';

/**
 * The scheduling platform's events (DESIGN §2.3), parsed at the boundary. Unknown fields
 * are ignored so the platform can add some; every problem is reported with its path.
 */
const isoDateTime = z.iso.datetime({ offset: true });
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');

const attendee = z.object({
  email: z.email(),
  name: z.string().max(200).optional(),
  first_name: z.string().max(100).optional(),
  last_name: z.string().max(100).optional(),
  phone: z.string().max(50).optional(),
  timezone: timeZone.optional(),
  /** Optional beyond DESIGN §2.3: the attendee's company when the booking form asked for it. */
  company: z.string().trim().min(1).max(200).optional(),
});

const booking = z
  .object({
    id: z.string().min(1).max(200),
    host: z.object({ user_id: z.string().min(1), email: z.email(), name: z.string().optional() }),
    title: z.string().min(1).max(255),
    description: z.string().max(10_000).optional(),
    start_time: isoDateTime,
    end_time: isoDateTime,
    timezone: timeZone,
    video_url: z.url().optional(),
    location: z.string().max(500).optional(),
    event_type: z.object({ id: z.string(), name: z.string() }).optional(),
    attendees: z.array(attendee).min(1).max(100),
    cancel_reason: z.string().max(2000).optional(),
  })
  .refine((b) => Date.parse(b.end_time) >= Date.parse(b.start_time), {
    path: ['end_time'],
    message: 'must not be before start_time',
  });

const actionItem = z.object({
  text: z.string().min(1).max(2000),
  priority: z.string().optional(),
  due: z.string().optional(),
  owner: z.string().optional(),
});

const transcriptLine = z.object({
  speaker: z.string(),
  role: z.enum(['host', 'attendee']).optional(),
  start_ms: z.number().int().min(0).optional(),
  text: z.string(),
});

const envelope = {
  id: z.string().min(1).max(200),
  created_at: isoDateTime,
  workspace_id: z.string().min(1).max(200),
};

export const eventSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('booking.created'), data: z.object({ booking }) }),
  z.object({ ...envelope, type: z.literal('booking.rescheduled'), data: z.object({ booking }) }),
  z.object({ ...envelope, type: z.literal('booking.cancelled'), data: z.object({ booking }) }),
  z.object({
    ...envelope,
    type: z.literal('meeting.notes_processed'),
    data: z.object({
      booking_id: z.string().min(1),
      summary: z.string().max(50_000).optional(),
      action_items: z.array(actionItem).max(100).optional(),
      transcript: z.array(transcriptLine).max(20_000).optional(),
    }),
  }),
]);

export type PlatformEvent = z.infer<typeof eventSchema>;
export type BookingEvent = Extract<PlatformEvent, { data: { booking: unknown } }>;

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
