import crypto from 'node:crypto';
import type { ActionItem, Analysis, AnalysisInput, AnalysisResult } from '../analysis/analysis.ts';
import { upstreamItems } from '../analysis/upstream.ts';
import type { Database } from '../db/port.ts';
import { type DealWithStages, openDealsOf } from '../deals/context.ts';
import { createSuggestion, proposedMove } from '../deals/suggestions.ts';
import { MAX_RECORDS_PER_WRITE, type RecordResult, type ZohoRecords } from '../zoho/api.ts';
import type { ZohoDeals } from '../zoho/deals.ts';
import type { AuthSource } from '../zoho/transport.ts';
import { attendeesToSync, eventTypeExcluded, leftOutMessage, onlyInternalMessage } from './attendees.ts';
import { fenced } from './claims.ts';
import type { Attendee, EventRow, Person, Settings, SyncEffects } from './effects.ts';
import type { BookingEvent, PlatformEvent } from './event-schema.ts';
import { singleLine } from './names.ts';
import { isTaskOf, summaryNote, taskDescription } from './note-content.ts';

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
  deals: ZohoDeals;
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
  const excluded = eventTypeExcluded(booking, settings);
  if (excluded) throw new SkipEvent(excluded);
  const { synced, leftOut } = attendeesToSync(booking, settings);
  if (!synced.length && leftOut.length) throw new SkipEvent(onlyInternalMessage(leftOut));
  const internal = leftOutMessage(leftOut);
  if (internal) await fx.activityOnce(e, 'skipped', internal);
  const people: Array<{ attendee: Attendee; email: string; person: Person }> = [];
  for (const a of synced) {
    const person = await fx.findOrCreate(e, auth, settings, a);
    if (person) people.push({ attendee: a, email: a.email, person });
  }
  const withTranscript = settings.suggestDealStages && Boolean(e.payload.data.transcript?.length);
  // A Lead converted in Zoho since it was kept is a Contact now, with deals to suggest on.
  if (people[0]?.person.module === 'Leads' && withTranscript) {
    const live = await fx.live(e, auth, settings, people[0].attendee, people[0].person);
    if (live) people[0].person = live;
    else people.shift();
  }
  const primary = people[0];
  let deals: DealWithStages[] | undefined;
  if (primary && withTranscript) {
    const read = await fx.onPerson(e, auth, settings, primary.attendee, primary.person, (on) =>
      dealsFor(deps, e, auth, { email: primary.email, person: on }),
    );
    if (read) [primary.person, deals] = [read.person, read.value];
  }
  const notes = await resolveNotes(deps, e, booking, deals?.[0]);
  if (!notes) throw new SkipEvent('The meeting notes carry no summary, action items or transcript.');

  const note = summaryNote(booking, notes.summary, notes.items);
  // The Tasks go to the first attendee logged on: the booking's first, unless they are gone
  // from Zoho and may not be added again (the same rule as the deal-stage suggestion's).
  let tasksDone = !settings.syncTasks;
  for (const p of people) {
    const key = `notes:${booking.id}:${e.payload.id}:${p.email.toLowerCase()}`;
    const logged = await fx.onPerson(e, auth, settings, p.attendee, p.person, (on) =>
      fx.noteOnce(e, auth, on, key, note, settings.trigger),
    );
    if (!logged) continue;
    p.person = logged.person;
    if (tasksDone) continue;
    tasksDone = true;
    const tasked = await fx.onPerson(e, auth, settings, p.attendee, p.person, (on) =>
      tasksOnce(deps, e, auth, settings, { email: p.email, person: on }, booking, notes.items),
    );
    if (tasked) p.person = tasked.person;
  }
  if (primary && deals?.length && notes.analysis)
    await suggest(deps, e, booking, primary, deals, notes.analysis);
}

/** The primary attendee's open deals, most relevant first; says why when there are none. */
async function dealsFor(
  deps: NotesDeps,
  e: EventRow,
  auth: AuthSource,
  primary: { email: string; person: Person },
): Promise<DealWithStages[]> {
  if (primary.person.module !== 'Contacts') {
    await deps.fx.activity(
      e,
      'analysed',
      `${primary.email} is a Lead: Leads have no Deals in Zoho CRM, so no deal-stage suggestion is made.`,
    );
    return [];
  }
  const open = await openDealsOf(deps.deals, auth, primary.person.id);
  if (!open.length)
    await deps.fx.activity(
      e,
      'analysed',
      `${primary.email} has no open Deal in Zoho CRM: no deal-stage suggestion.`,
    );
  return open;
}

/** A suggestion when the analysis proposes another stage of the most relevant deal's pipeline. */
async function suggest(
  deps: NotesDeps,
  e: EventRow & { payload: NotesEvent },
  booking: Booking,
  primary: { email: string; person: Person },
  deals: DealWithStages[],
  analysis: Analysis,
) {
  const [deal, ...others] = deals as [DealWithStages, ...DealWithStages[]];
  const stage = proposedMove(analysis, deal);
  if (!stage) {
    await deps.fx.activity(
      e,
      'analysed',
      `No stage change suggested for the deal “${deal.name}”: the meeting does not point clearly away from “${deal.stage}”.`,
    );
    return;
  }
  const { rows } = await deps.db.query<{ user_id: string }>('SELECT user_id FROM connections WHERE id = $1', [
    e.connection_id,
  ]);
  const made = await createSuggestion(deps.db, {
    workspaceId: e.workspace_id,
    userId: rows[0]!.user_id,
    connectionId: e.connection_id!,
    eventId: e.id,
    bookingId: booking.id,
    meetingTitle: booking.title,
    contact: { id: primary.person.id, email: primary.email },
    deal,
    others,
    stage,
    analysis,
  });
  if (made.created)
    await deps.fx.activity(
      e,
      'suggested',
      `Suggested moving the deal “${deal.name}” from “${deal.stage}” to “${stage}”: waiting for your approval on the Suggestions page.`,
      { module: 'Deals', id: deal.id },
    );
}

interface ResolvedNotes {
  summary: string;
  items: ActionItem[];
  /** The transcript's analysis, when there was one. */
  analysis: Analysis | undefined;
}

async function resolveNotes(
  deps: NotesDeps,
  e: EventRow & { payload: NotesEvent },
  booking: Booking,
  deal: DealWithStages | undefined,
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
    return { summary: data.summary ?? 'Meeting notes from PepoSmart.', items: upstream, analysis: undefined };
  }
  const result = await storedOrNewAnalysis(deps, e, {
    meeting,
    transcript: data.transcript,
    upstream: { summary: data.summary, action_items: data.action_items },
    ...(deal ? { pipeline: { stages: deal.stages.map((x) => x.name), current_stage: deal.stage } } : {}),
  });
  return {
    summary: data.summary ?? result.analysis.summary,
    items: data.action_items?.length ? upstream : result.analysis.action_items,
    analysis: result.analysis,
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
  }>('SELECT analyzer, fallback_reason, result FROM analyses WHERE event_id = $1 AND workspace_id = $2', [
    e.id,
    e.workspace_id,
  ]);
  if (rows[0]) return { analysis: rows[0].result, analyzer: rows[0].analyzer };
  const result = await deps.analyze(input);
  const bookingId = (e.payload.data as { booking_id: string }).booking_id;
  await deps.db.query(
    `INSERT INTO analyses (event_id, workspace_id, booking_id, analyzer, fallback_reason, result)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id, workspace_id) DO NOTHING`,
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

/**
 * One Task per action item, once: keyed by the booking, the attendee's address and the task's
 * words — not the record's id, which changes when Zoho converts or merges the person while
 * carrying their Tasks over (migration 0010 moved older keys). The Tasks not made yet go to
 * Zoho in one insert (up to 100 a call; Zoho charges an insert a credit per 10 records), under a
 * claim on each.
 */
async function tasksOnce(
  deps: NotesDeps,
  e: EventRow,
  auth: AuthSource,
  settings: Settings,
  who: { email: string; person: Person },
  booking: Booking,
  items: readonly ActionItem[],
) {
  const { fx } = deps;
  const { person } = who;
  const wanted = new Map<string, { key: string; what: string; subject: string; item: ActionItem }>();
  for (const item of items) {
    const subject = singleLine(item.text).slice(0, 255);
    const words = subject
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    const key = `task:${booking.id}:${who.email.toLowerCase()}:${crypto.createHash('sha256').update(words).digest('hex').slice(0, 32)}`;
    if (!wanted.has(key)) wanted.set(key, { key, what: `the task “${subject}”`, subject, item });
  }
  const pending = [];
  for (const t of wanted.values())
    if (!(await fx.ref(deps.db, e.connection_id!, 'task', t.key))) pending.push(t);

  for (let at = 0; at < pending.length; at += MAX_RECORDS_PER_WRITE) {
    const batch = pending.slice(at, at + MAX_RECORDS_PER_WRITE);
    await fx.claimedAll(e, 'task', batch, async (claims, sent) => {
      // Another job may have made some while this one waited for the claims (read with each claim).
      const todo = [];
      for (const [i, t] of batch.entries()) if (!claims[i]!.existing) todo.push({ ...t, claim: claims[i]! });
      // A create sent before and never answered: Zoho may have those Tasks. They are looked for
      // (this booking's, by their subject) before being sent again; the others are just sent.
      const earlier = todo.some((t) => t.claim.uncertain) ? await deps.records.tasksOn(auth, person) : [];
      const create = [];
      for (const t of todo) {
        const found = t.claim.uncertain
          ? earlier.find((x) => x.subject === t.subject && isTaskOf(x.description, booking.id))
          : undefined;
        if (found) await made(t, found.id);
        else create.push(t);
      }
      if (!create.length) return;
      // The send is marked on the claims inside the call's slot, just before it leaves (fenced).
      sent.value = true;
      const results = await deps.records.tasks(
        fenced(
          auth,
          create.map((t) => t.claim),
        ),
        person,
        create.map((t) => ({
          subject: t.subject,
          dueDate: t.item.due,
          priority: t.item.priority,
          description: taskDescription(booking, t.item),
          ownerId: settings.zohoUserId,
        })),
        settings.trigger,
      );
      let refused: Extract<RecordResult, { ok: false }> | undefined;
      for (const [i, result] of results.entries()) {
        if (result.ok) await made(create[i]!, result.id);
        else refused ??= result;
      }
      if (refused) throw fx.failure(refused, 'create the Task');
    });
  }

  async function made(t: { key: string; subject: string; item: ActionItem }, id: string) {
    await fx.keep(e, 'task', t.key, 'Tasks', id, {
      action: 'created',
      message: `Created the Task “${t.subject}” (${t.item.priority}, due ${t.item.due}).`,
      record: { module: 'Tasks', id },
    });
  }
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
