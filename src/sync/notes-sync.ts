import crypto from 'node:crypto';
import type { ActionItem, AnalysisInput, AnalysisResult } from '../analysis/analysis.ts';
import { upstreamItems } from '../analysis/upstream.ts';
import type { Database } from '../db/port.ts';
import type { ZohoRecords } from '../zoho/api.ts';
import type { AuthSource } from '../zoho/transport.ts';
import type { EventRow, Settings, SyncEffects } from './effects.ts';
import type { BookingEvent, PlatformEvent } from './event-schema.ts';
import { summaryNote, taskDescription } from './note-content.ts';

export type NotesEvent = Extract<PlatformEvent, { type: 'meeting.notes_processed' }>;
type Booking = BookingEvent['data']['booking'];

/** An event that has nothing to sync, with the reason shown on the Activity page. */
export class SkipEvent extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipEvent';
  }
}

export interface NotesDeps {
  db: Database;
  records: ZohoRecords;
  fx: SyncEffects;
  analyze(input: AnalysisInput): Promise<AnalysisResult>;
}

/**
 * AI meeting notes in Zoho: the summary as a Note on each attendee's Contact or Lead, and one
 * Task per action item (Subject, Priority, Status "Not Started", Due_Date) on the first
 * attendee's — the one the booking is with — so a meeting with three people from one company
 * does not make every task three times. The platform's own summary and action items are used
 * when the event carries them; otherwise the transcript is analysed. The analysis is made once
 * per event and kept (a retried job reuses it; deal-stage suggestions read it).
 */
export async function syncNotes(
  deps: NotesDeps,
  e: EventRow & { payload: NotesEvent },
  auth: AuthSource,
  settings: Settings,
): Promise<void> {
  const { fx } = deps;
  const booking = await bookingOf(deps.db, e);
  if (!booking)
    throw new SkipEvent(
      'No booking with this id has reached PepoSmart’s Zoho sync, so there is no attendee to log it on.',
    );
  const notes = await resolveNotes(deps, e, booking);
  if (!notes) throw new SkipEvent('The meeting notes carry no summary, action items or transcript.');

  const host = booking.host.email.toLowerCase();
  const attendees = booking.attendees.filter((x) => x.email.toLowerCase() !== host);
  let first = true;
  for (const a of attendees) {
    const person = await fx.findOrCreate(e, auth, settings, a);
    if (!person) continue;
    const key = `notes:${booking.id}:${e.payload.id}:${a.email.toLowerCase()}`;
    await fx.noteOnce(
      e,
      auth,
      person,
      key,
      summaryNote(booking, notes.summary, notes.items),
      settings.trigger,
    );
    if (first && settings.syncTasks) {
      for (const item of notes.items) await taskOnce(deps, e, auth, settings, person, booking, item);
    }
    first = false;
  }
}

interface ResolvedNotes {
  summary: string;
  items: ActionItem[];
}

async function resolveNotes(
  deps: NotesDeps,
  e: EventRow & { payload: NotesEvent },
  booking: Booking,
): Promise<ResolvedNotes | undefined> {
  const data = e.payload.data;
  const meeting = {
    title: booking.title,
    start_time: booking.start_time,
    end_time: booking.end_time,
    timezone: booking.timezone,
  };
  const upstream = upstreamItems(data.action_items ?? [], meeting);
  if (!data.transcript?.length) {
    if (!data.summary && !upstream.length) return undefined;
    return { summary: data.summary ?? 'Meeting notes from PepoSmart.', items: upstream };
  }
  const result = await storedOrNewAnalysis(deps, e, {
    meeting,
    transcript: data.transcript,
    upstream: { summary: data.summary, action_items: data.action_items },
  });
  return {
    summary: data.summary ?? result.analysis.summary,
    items: data.action_items?.length ? upstream : result.analysis.action_items,
  };
}

async function storedOrNewAnalysis(
  deps: NotesDeps,
  e: EventRow,
  input: AnalysisInput,
): Promise<AnalysisResult> {
  const { rows } = await deps.db.query<{
    analyzer: string;
    fallback_reason: string | null;
    result: AnalysisResult['analysis'];
  }>('SELECT analyzer, fallback_reason, result FROM analyses WHERE event_id = $1', [e.id]);
  if (rows[0]) return { analysis: rows[0].result, analyzer: rows[0].analyzer };
  const result = await deps.analyze(input);
  const bookingId = (e.payload.data as { booking_id: string }).booking_id;
  await deps.db.query(
    `INSERT INTO analyses (event_id, workspace_id, booking_id, analyzer, fallback_reason, result)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
    [e.id, e.workspace_id, bookingId, result.analyzer, result.fallback?.reason ?? null, result.analysis],
  );
  await deps.fx.activity(
    e,
    'analysed',
    result.fallback
      ? `Analysed the meeting with the ${result.analyzer} analyser: ${result.fallback.from} failed (${result.fallback.reason}).`
      : `Analysed the meeting with the ${result.analyzer} analyser.`,
  );
  return result;
}

/** One Task per action item, once: keyed by the booking, the person and the task's words. */
async function taskOnce(
  deps: NotesDeps,
  e: EventRow,
  auth: AuthSource,
  settings: Settings,
  person: { module: 'Contacts' | 'Leads'; id: string },
  booking: Booking,
  item: ActionItem,
) {
  const { fx } = deps;
  const subject = item.text.slice(0, 255);
  const words = subject
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  const key = `task:${booking.id}:${person.id}:${crypto.createHash('sha256').update(words).digest('hex').slice(0, 32)}`;
  if (await fx.ref(deps.db, e.connection_id!, 'task', key)) return;
  await fx.claimed(e, 'task', key, `the task “${subject}”`, async (claim, sent) => {
    const earlier = claim.uncertain
      ? (await deps.records.tasksOn(auth, person)).find((t) => t.subject === subject)
      : undefined;
    let id = earlier?.id;
    if (!id) {
      await claim.sending();
      sent.value = true;
      const result = await deps.records.task(
        auth,
        person,
        {
          subject,
          dueDate: item.due,
          priority: item.priority,
          description: taskDescription(booking, item),
          ownerId: settings.zohoUserId,
        },
        settings.trigger,
      );
      if (!result.ok) throw fx.failure(result, 'create the Task');
      id = result.id;
    }
    await fx.keep(e, 'task', key, 'Tasks', id);
    await fx.activity(e, 'created', `Created the Task “${subject}” (${item.priority}, due ${item.due}).`, {
      module: 'Tasks',
      id,
    });
  });
}

/** The booking as its latest booking event had it. */
async function bookingOf(db: Database, e: EventRow & { payload: NotesEvent }): Promise<Booking | undefined> {
  const { rows } = await db.query<{ payload: BookingEvent }>(
    `SELECT payload FROM events
      WHERE workspace_id = $1 AND booking_id = $2 AND type IN ('booking.created', 'booking.rescheduled')
      ORDER BY received_at DESC LIMIT 1`,
    [e.workspace_id, e.payload.data.booking_id],
  );
  return rows[0]?.payload.data.booking;
}
