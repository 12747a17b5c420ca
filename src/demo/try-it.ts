import crypto from 'node:crypto';
import type { ConnectionSettings } from '../connections/repo.ts';
import { AppError } from '../errors.ts';
import type { SampleMeeting } from './samples.ts';
import { addExistingCustomer, type ExistingCustomer } from './sandbox-crm.ts';

/**
 * The sandbox's Try it panel (DESIGN §2.4): a demo booking with an attendee of the user's
 * choosing, then its meeting notes with a sample transcript, both sent through the real signed
 * event API, so a newcomer sees the Contact, Notes, Tasks and a deal-stage suggestion appear.
 * Optionally the attendee is first made an existing customer with an open deal in the sandbox
 * org, as a sales team's CRM would have it: without a deal there is nothing to suggest on.
 *
 * Each form carries its own try id, which names the events: sending the same form twice sends
 * nothing new.
 */
export interface TryItInput {
  tryId: string;
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

export interface TryItHost {
  workspaceId: string;
  userId: string;
  email: string;
  name: string;
  zoho: { orgId: string; userEmail: string | undefined };
  settings: ConnectionSettings;
}

/** What became of the deal: added, not asked for, or why not. */
export type DealOutcome =
  | 'deal'
  | 'no_deal'
  | 'suggestions_off'
  | Exclude<ExistingCustomer, { ok: true }>['code'];

export interface TryItResult {
  deal: DealOutcome;
  /** Why no deal was added, for the log. */
  reason?: string;
}

export const newTryId = () => crypto.randomBytes(9).toString('base64url');
export const tryIdPattern = /^[A-Za-z0-9_-]{12}$/;
export const tryEventIds = (tryId: string) => ({
  booking: `evt_try_${tryId}_booking`,
  notes: `evt_try_${tryId}_notes`,
});

/** The event type of the demo's bookings, for the event-type choice on the card. */
export const TRY_IT_EVENT_TYPE = { id: 'try_it', name: 'Try it demo' };

export async function tryIt(deps: TryItDeps, host: TryItHost, input: TryItInput): Promise<TryItResult> {
  const { sample, attendee, tryId } = input;
  const eventIds = tryEventIds(tryId);
  const bookingId = `bk_try_${tryId}`;
  const suggests = host.settings.syncNotes && host.settings.suggestDealStages;
  const customer =
    input.withDeal && suggests
      ? await addExistingCustomer(deps.sandboxUrl, host.zoho.orgId, {
          ...attendee,
          dealName: `${sample.meeting.title} (Try it)`.slice(0, 120),
          stage: sample.current_stage,
          ownerEmail: host.zoho.userEmail,
        })
      : undefined;

  const now = deps.now();
  // The sample meeting, moved so it ended at the last full minute: dates said in it count from today.
  const length = Date.parse(sample.meeting.end_time) - Date.parse(sample.meeting.start_time);
  const end = Math.floor(now.getTime() / 60_000) * 60_000;
  const envelope = { created_at: now.toISOString(), workspace_id: host.workspaceId };
  const booking = {
    id: eventIds.booking,
    type: 'booking.created',
    ...envelope,
    data: {
      booking: {
        id: bookingId,
        host: { user_id: host.userId, email: host.email, name: host.name },
        title: sample.meeting.title,
        description: 'A demo booking sent from the Try it panel (sandbox mode).',
        start_time: new Date(end - length).toISOString(),
        end_time: new Date(end).toISOString(),
        timezone: sample.meeting.timezone,
        video_url: `https://meet.example.com/try-${tryId}`,
        event_type: TRY_IT_EVENT_TYPE,
        attendees: [attendee],
      },
    },
  };
  const notes = {
    id: eventIds.notes,
    type: 'meeting.notes_processed',
    ...envelope,
    data: { booking_id: bookingId, transcript: sample.transcript },
  };
  for (const event of [booking, notes]) {
    const res = await deps.sendEvent(JSON.stringify(event));
    if (res.status !== 202 && res.status !== 200)
      throw new AppError(
        'internal',
        `The event API refused the demo ${event.type} event (${res.status}): ${res.body}`,
      );
  }
  const deal: DealOutcome = !input.withDeal
    ? 'no_deal'
    : !suggests
      ? 'suggestions_off'
      : customer?.ok
        ? 'deal'
        : (customer?.code ?? 'refused');
  return {
    deal,
    ...(customer && !customer.ok ? { reason: customer.reason } : {}),
  };
}
