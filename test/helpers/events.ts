import crypto from 'node:crypto';
import { expect } from 'vitest';
import type { Database } from '../../src/db/port.ts';
import { signEvent } from '../../src/sync/signature.ts';
import { eventsSecret } from './app.ts';
import { registerPersonalData } from './logs.ts';
import type { SandboxClient } from './sandbox.ts';

/** Platform events for tests: built, signed and sent as the scheduling platform would. */
let n = 0;

/**
 * Fields of an event that carry meeting content or an attendee's personal data: the log scan
 * (test/setup/log-scan.ts) fails a test file whose app logs hold any value sent in them. Ids,
 * times, titles, event types and the host (a PepoSmart user) are not among them.
 */
const personalFields = new Set([
  'email',
  'name',
  'first_name',
  'last_name',
  'phone',
  'company',
  'description',
  'cancel_reason',
  'summary',
  'text',
  'quote',
  'speaker',
  'notes',
]);

/** Registers the personal data and meeting content of an event body (any shape) with the log scan. */
export function registerEventContent(body: unknown): void {
  if (Array.isArray(body)) for (const item of body) registerEventContent(item);
  else if (body && typeof body === 'object')
    for (const [key, value] of Object.entries(body)) {
      if (key === 'host' || key === 'event_type') continue;
      if (typeof value === 'string' && personalFields.has(key)) registerPersonalData(value);
      else registerEventContent(value);
    }
}

function registered<T>(event: T): T {
  registerEventContent(event);
  return event;
}
export function bookingEvent(
  over: {
    type?: 'booking.created' | 'booking.rescheduled' | 'booking.cancelled';
    bookingId?: string;
    attendees?: Array<Record<string, string>>;
    host?: { user_id: string; email: string; name?: string };
    workspaceId?: string;
  } = {},
) {
  n += 1;
  return registered({
    id: `evt_${crypto.randomBytes(6).toString('hex')}_${n}`,
    type: over.type ?? 'booking.created',
    created_at: new Date().toISOString(),
    workspace_id: over.workspaceId ?? 'ws_demo',
    data: {
      booking: {
        id: over.bookingId ?? `bk_${crypto.randomBytes(5).toString('hex')}`,
        host: over.host ?? { user_id: 'usr_alex', email: 'alex@peposmart.test', name: 'Alex Morgan' },
        title: 'Discovery call',
        description: 'Talk about the rollout.',
        start_time: '2026-12-01T09:00:00Z',
        end_time: '2026-12-01T09:30:00Z',
        timezone: 'Europe/Berlin',
        video_url: 'https://meet.example.com/abc-defg',
        event_type: { id: 'et_1', name: '30 min intro' },
        attendees: over.attendees ?? [
          { email: 'ada.lovelace@analytical.example', name: 'Ada Lovelace', phone: '+44 20 1234' },
        ],
      },
    },
  });
}

/** A meeting.notes_processed event for a booking, with whatever notes `data` carries. */
export function notesEvent(bookingId: string, data: Record<string, unknown> = {}, workspaceId = 'ws_demo') {
  n += 1;
  return registered({
    id: `evt_${crypto.randomBytes(6).toString('hex')}_${n}`,
    type: 'meeting.notes_processed' as const,
    created_at: new Date().toISOString(),
    workspace_id: workspaceId,
    data: { booking_id: bookingId, ...data },
  });
}

export async function sendEvent(
  url: string,
  event: unknown,
  options: { secret?: string; at?: number; raw?: string; signature?: string | null } = {},
) {
  const raw = options.raw ?? JSON.stringify(event);
  // What is sent, as sent (a test may have changed the event since building it, or send raw text).
  registerEventContent(event);
  try {
    registerEventContent(JSON.parse(raw));
  } catch {
    // Not JSON: nothing the app could parse, log or store from it.
  }
  const t = options.at ?? Math.floor(Date.now() / 1000);
  const signature =
    options.signature === undefined ? signEvent(options.secret ?? eventsSecret, raw, t) : options.signature;
  const res = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'peposmart-signature': signature }),
    },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * Waits until the event leaves the queue, and returns its final status. Event ids are unique
 * per workspace: `workspaceId` names which one's (needed only when two share the id).
 */
export async function settled(
  db: Database,
  eventId: string,
  timeoutMs = 20_000,
  workspaceId?: string,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ status: string }>(
      'SELECT status FROM events WHERE id = $1 AND ($2::text IS NULL OR workspace_id = $2)',
      [eventId, workspaceId ?? null],
    );
    const status = rows[0]?.status;
    if (status && status !== 'queued') return status;
    if (Date.now() > until)
      expect.fail(`event ${eventId} still ${status ?? 'missing'} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The sandbox refuses the org's next Contact insert per record, as Zoho does (HTTP 400). */
export function refuseNextContactInsert(
  client: SandboxClient,
  org: { org_id: string },
  refusal: { code: string; message: string; details?: Record<string, unknown> },
) {
  return client.fault(org, 'POST', '/Contacts$', {
    status: 400,
    body: {
      data: [
        { code: refusal.code, details: refusal.details ?? {}, message: refusal.message, status: 'error' },
      ],
    },
  });
}
