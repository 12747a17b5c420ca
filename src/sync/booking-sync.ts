import type { ConnectionDeps } from '../connections/deps.ts';
import { ConnectionUnavailableError } from '../connections/tokens.ts';
import type { Queryable } from '../db/port.ts';
import type { RecordResult } from '../zoho/api.ts';
import { ZohoError } from '../zoho/errors.ts';
import type { AuthSource } from '../zoho/transport.ts';
import { type ActivityEntry, addActivity } from './activity-repo.ts';
import { type Claim, ClaimBusy, type ClaimTiming, createClaims } from './claims.ts';
import type { BookingEvent, PlatformEvent } from './event-schema.ts';
import { personName } from './names.ts';
import { bookingNote, leadCompany } from './note-content.ts';

/**
 * A booking event in Zoho: for each attendee (not the host) find the Contact, else the Lead,
 * else create one in the module the user chose, then log a Note on it. Each effect is kept
 * as a sync reference first looked up, so a repeated or retried job re-uses it (DESIGN §4).
 * Errors a retry cannot fix end the event as failed with their cause; others are thrown for
 * the queue to retry.
 */
type Person = { module: 'Contacts' | 'Leads'; id: string };
type Attendee = BookingEvent['data']['booking']['attendees'][number];

interface EventRow {
  id: string;
  workspace_id: string;
  connection_id: string | null;
  status: string;
  payload: PlatformEvent;
}

interface Settings {
  newAttendeeModule: 'Contacts' | 'Leads';
  zohoUserId: string | null;
  onlyExisting: boolean;
  /** Zoho's `trigger`: `[]` keeps the org's workflow rules from firing; undefined lets them. */
  trigger: string[] | undefined;
}

export function createBookingSync(
  deps: Pick<ConnectionDeps, 'db' | 'records' | 'tokens' | 'logger'> & { claimTiming?: ClaimTiming },
) {
  const { db } = deps;
  const claims = createClaims(db, deps.claimTiming);

  function activity(e: EventRow, action: ActivityEntry['action'], message: string, record?: Person) {
    const bookingId = 'booking' in e.payload.data ? e.payload.data.booking.id : e.payload.data.booking_id;
    return addActivity(db, {
      workspaceId: e.workspace_id,
      eventId: e.id,
      bookingId,
      action,
      message,
      record,
    });
  }

  async function ref(q: Queryable, connectionId: string, kind: string, key: string) {
    const { rows } = await q.query<{ module: string; zoho_id: string }>(
      'SELECT module, zoho_id FROM sync_refs WHERE connection_id = $1 AND kind = $2 AND key = $3',
      [connectionId, kind, key],
    );
    return rows[0] ? { module: rows[0].module, id: rows[0].zoho_id } : undefined;
  }

  async function keep(e: EventRow, kind: string, key: string, module: string, id: string) {
    await db.query(
      `INSERT INTO sync_refs (connection_id, workspace_id, kind, key, module, zoho_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (connection_id, kind, key) DO NOTHING`,
      [e.connection_id, e.workspace_id, kind, key, module, id],
    );
  }

  function failure(result: Extract<RecordResult, { ok: false }>, what: string): ZohoError {
    const field =
      typeof result.details['api_name'] === 'string' ? ` (field ${result.details['api_name']})` : '';
    return new ZohoError('invalid', `Zoho refused to ${what}: ${result.message}${field} [${result.code}]`, {
      zohoCode: result.code,
      details: result.details,
    });
  }

  /**
   * Runs `create` under a claim on (kind, key): released when the outcome is known; kept when
   * a create was sent and no answer came, so the next attempt looks in Zoho first.
   */
  async function claimed<T>(
    e: EventRow,
    kind: string,
    key: string,
    what: string,
    create: (claim: Claim, sent: { value: boolean }) => Promise<T>,
  ): Promise<T> {
    const claim = await claims.take(e.connection_id!, kind, key, e.id, what);
    const sent = { value: false };
    try {
      const out = await create(claim, sent);
      await claim.release();
      return out;
    } catch (err) {
      // A refusal (4xx, 429) is an answer: nothing was created. A 5xx, a timeout, a dropped
      // connection or our own failure after sending leave it open whether Zoho has it.
      const unanswered = sent.value && !(err instanceof ZohoError && err.kind !== 'transient');
      if (!unanswered) await claim.release();
      throw err;
    }
  }

  async function findOrCreate(
    e: EventRow,
    auth: AuthSource,
    s: Settings,
    a: Attendee,
  ): Promise<Person | undefined> {
    const email = a.email.toLowerCase();
    const known = await ref(db, e.connection_id!, 'person', email);
    if (known) return known as Person;
    return claimed(e, 'person', email, a.email, async (claim, sent) => {
      // Another job may have created them while this one waited for the claim.
      const now = await ref(db, e.connection_id!, 'person', email);
      if (now) return now as Person;
      for (const module of ['Contacts', 'Leads'] as const) {
        const [id] = await deps.records.searchByEmail(auth, module, email);
        if (id) {
          await keep(e, 'person', email, module, id);
          await activity(e, 'found', `Found ${a.email} as an existing ${module.slice(0, -1)}.`, {
            module,
            id,
          });
          return { module, id };
        }
      }
      if (s.onlyExisting) {
        await activity(
          e,
          'skipped',
          `${a.email} is not in Zoho CRM; the setting “only log on existing records” is on.`,
        );
        return undefined;
      }
      const module = s.newAttendeeModule;
      const name = personName(a);
      const full = [name.firstName, name.lastName].filter(Boolean).join(' ');
      const record: Record<string, unknown> = {
        ...(name.firstName ? { First_Name: name.firstName } : {}),
        Last_Name: name.lastName,
        Email: a.email,
        ...(a.phone ? { Phone: a.phone } : {}),
        Description: 'Added by PepoSmart from a meeting booked through PepoSmart scheduling.',
        ...(module === 'Leads'
          ? { Company: a.company ?? leadCompany(a.email, full), Lead_Source: 'PepoSmart' }
          : {}),
        ...(s.zohoUserId ? { Owner: { id: s.zohoUserId } } : {}),
      };
      await claim.sending();
      sent.value = true;
      const result = await deps.records.insert(auth, module, record, s.trigger);
      let id: string;
      if (result.ok) id = result.id;
      else {
        // A duplicate rule or unique field says the person exists: use that record.
        const dup = result.details['duplicate_record'] as
          | { id?: string; module?: { api_name?: string } }
          | undefined;
        if (result.code !== 'DUPLICATE_DATA' || !dup?.id)
          throw failure(result, `create the ${module.slice(0, -1)}`);
        id = dup.id;
      }
      const person = { module, id };
      await keep(e, 'person', email, module, id);
      await activity(e, 'created', `Created ${a.email} as a new ${module.slice(0, -1)}.`, person);
      return person;
    });
  }

  async function logNote(
    e: EventRow & { payload: BookingEvent },
    auth: AuthSource,
    a: Attendee,
    person: Person,
    trigger: string[] | undefined,
  ) {
    const key = `${e.payload.type}:${e.payload.data.booking.id}:${e.payload.id}:${a.email.toLowerCase()}`;
    if (await ref(db, e.connection_id!, 'note', key)) return;
    const note = bookingNote(e.payload.type, e.payload.data.booking, await previousBooking(e));
    await claimed(e, 'note', key, `the note for ${a.email}`, async (claim, sent) => {
      // A Note sent before whose answer never came may be in Zoho: the parent's notes say.
      const earlier = claim.uncertain
        ? (await deps.records.notesOn(auth, person)).find(
            (n) => n.title === note.title && n.content === note.content,
          )
        : undefined;
      let id = earlier?.id;
      if (!id) {
        await claim.sending();
        sent.value = true;
        const result = await deps.records.note(auth, person, note.title, note.content, trigger);
        if (!result.ok) throw failure(result, 'log the Note');
        id = result.id;
      }
      await keep(e, 'note', key, 'Notes', id);
      await activity(e, 'logged', `Logged “${note.title}” on the ${person.module.slice(0, -1)}.`, person);
    });
  }

  /** The booking as the last earlier event of it had it (what a reschedule changed). */
  async function previousBooking(e: EventRow & { payload: BookingEvent }) {
    if (e.payload.type !== 'booking.rescheduled') return undefined;
    const { rows } = await db.query<{ payload: BookingEvent }>(
      `SELECT payload FROM events
        WHERE workspace_id = $1 AND booking_id = $2 AND id <> $3 AND received_at <= (SELECT received_at FROM events WHERE id = $3)
          AND type IN ('booking.created', 'booking.rescheduled')
        ORDER BY received_at DESC LIMIT 1`,
      [e.workspace_id, e.payload.data.booking.id, e.id],
    );
    return rows[0]?.payload.data.booking;
  }

  async function settle(
    e: EventRow,
    status: 'done' | 'failed' | 'skipped' | 'waiting',
    detail: string | null,
    code?: string,
  ) {
    await db.query(
      'UPDATE events SET status = $2, detail = $3, error_code = $4, updated_at = now() WHERE id = $1',
      [e.id, status, detail, code ?? null],
    );
  }

  return {
    async handle(eventId: string): Promise<void> {
      const { rows } = await db.query<EventRow>(
        'SELECT id, workspace_id, connection_id, status, payload FROM events WHERE id = $1',
        [eventId],
      );
      const e = rows[0];
      if (e?.status !== 'queued' || !e.connection_id) return;
      if (!('booking' in e.payload.data)) {
        await activity(e, 'skipped', 'AI meeting notes are not synced to Zoho CRM by this version yet.');
        return settle(e, 'skipped', 'notes sync not available');
      }
      const booking = e.payload.data.booking;
      const { rows: conn } = await db.query<{
        new_attendee_module: 'Contacts' | 'Leads';
        zoho_user_id: string | null;
        only_existing: boolean;
        fire_workflows: boolean;
      }>(
        `SELECT new_attendee_module, zoho_user_id, only_existing, fire_workflows FROM connections
          WHERE workspace_id = $1 AND id = $2`,
        [e.workspace_id, e.connection_id],
      );
      const settings: Settings = {
        newAttendeeModule: conn[0]?.new_attendee_module ?? 'Contacts',
        zohoUserId: conn[0]?.zoho_user_id ?? null,
        onlyExisting: conn[0]?.only_existing ?? false,
        trigger: conn[0]?.fire_workflows ? undefined : [],
      };
      const auth = deps.tokens.source(e.connection_id, e.workspace_id);
      try {
        const host = booking.host.email.toLowerCase();
        for (const a of booking.attendees.filter((x) => x.email.toLowerCase() !== host)) {
          const person = await findOrCreate(e, auth, settings, a);
          if (person)
            await logNote(e as EventRow & { payload: BookingEvent }, auth, a, person, settings.trigger);
        }
        await settle(e, 'done', null);
      } catch (err) {
        if (err instanceof ConnectionUnavailableError && err.reason === 'reconnect_needed') {
          // Paused, not lost: reconnecting queues it again (resumeWaiting).
          await activity(e, 'waiting', 'Waiting: Zoho CRM needs to be reconnected on the Integrations page.');
          return settle(e, 'waiting', 'reconnect needed');
        }
        if (err instanceof ConnectionUnavailableError && err.reason === 'not_connected') {
          await activity(e, 'skipped', 'Zoho CRM was disconnected before this booking was synced.');
          return settle(e, 'skipped', 'disconnected');
        }
        if (err instanceof ZohoError && !err.retryable) {
          await activity(e, 'failed', err.message);
          return settle(e, 'failed', err.message, err.zohoCode ?? err.kind);
        }
        // For the queue to retry; the cause is shown meanwhile, and kept if the retries run out.
        const cause =
          err instanceof ZohoError || err instanceof ClaimBusy
            ? err.message
            : 'an internal error (see the service log)';
        await db.query('UPDATE events SET detail = $2, updated_at = now() WHERE id = $1 AND status = $3', [
          e.id,
          cause,
          'queued',
        ]);
        throw err;
      }
    },
  };
}
