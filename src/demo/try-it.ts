import crypto from 'node:crypto';
import { AppError } from '../errors.ts';
import type { SampleMeeting } from './samples.ts';
import { addExistingCustomer, type ExistingCustomer } from './sandbox-crm.ts';

/**
 * The sandbox's Try it panel (DESIGN §2.4): a demo booking with an attendee of the user's
 * choosing, then its meeting notes with a sample transcript, both sent through the real signed
 * event API, so a newcomer sees the Contact, Notes, Tasks and a deal-stage suggestion appear.
 * Optionally the attendee is first made an existing customer with an open deal in the sandbox
 * org, as a sales team's CRM would have it: without a deal there is nothing to suggest on.
 */
export interface TryItInput {
  sample: SampleMeeting;
  attendee: { name: string; email: string };
  withDeal: boolean;
}

export interface TryItDeps {
  sandboxUrl: string;
  /** Posts a raw event body, signed, to the event API; its HTTP status and body. */
  sendEvent: (raw: string) => Promise<{ status: number; body: string }>;
  now: () => Date;
}

export interface TryItResult {
  bookingId: string;
  eventIds: { booking: string; notes: string };
  deal: ExistingCustomer | undefined;
}

export async function tryIt(
  deps: TryItDeps,
  host: { workspaceId: string; userId: string; email: string; name: string; zohoOrgId: string },
  input: TryItInput,
): Promise<TryItResult> {
  const { sample, attendee } = input;
  const deal = input.withDeal
    ? await addExistingCustomer(deps.sandboxUrl, host.zohoOrgId, {
        ...attendee,
        dealName: `${sample.meeting.title} (Try it)`.slice(0, 120),
        stage: sample.current_stage,
      })
    : undefined;

  const now = deps.now();
  const token = crypto.randomBytes(6).toString('hex');
  const bookingId = `bk_try_${token}`;
  // The sample meeting, moved so it ended at the last full minute: dates said in it count from today.
  const length = Date.parse(sample.meeting.end_time) - Date.parse(sample.meeting.start_time);
  const end = Math.floor(now.getTime() / 60_000) * 60_000;
  const envelope = (type: string) => ({
    id: `evt_try_${token}_${type === 'booking.created' ? 'booking' : 'notes'}`,
    type,
    created_at: now.toISOString(),
    workspace_id: host.workspaceId,
  });
  const booking = {
    ...envelope('booking.created'),
    data: {
      booking: {
        id: bookingId,
        host: { user_id: host.userId, email: host.email, name: host.name },
        title: sample.meeting.title,
        description: 'A demo booking sent from the Try it panel (sandbox mode).',
        start_time: new Date(end - length).toISOString(),
        end_time: new Date(end).toISOString(),
        timezone: sample.meeting.timezone,
        video_url: `https://meet.example.com/try-${token}`,
        event_type: { id: 'try_it', name: 'Try it demo' },
        attendees: [attendee],
      },
    },
  };
  const notes = {
    ...envelope('meeting.notes_processed'),
    data: { booking_id: bookingId, transcript: sample.transcript },
  };
  for (const event of [booking, notes]) {
    const res = await deps.sendEvent(JSON.stringify(event));
    if (res.status !== 202)
      throw new AppError(
        'internal',
        `The event API refused the demo ${event.type} event (${res.status}): ${res.body}`,
      );
  }
  return { bookingId, eventIds: { booking: booking.id, notes: notes.id }, deal };
}
