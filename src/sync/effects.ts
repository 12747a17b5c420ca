import type { ConnectionDeps } from '../connections/deps.ts';
import type { Queryable } from '../db/port.ts';
import { noteContent, type RecordResult } from '../zoho/api.ts';
import { recordErrorKind, ZohoError } from '../zoho/errors.ts';
import type { AuthSource } from '../zoho/transport.ts';
import { type ActivityEntry, addActivity, addActivityOnce } from './activity-repo.ts';
import { type Claim, ClaimLost, ClaimSettled, type ClaimTiming, createClaims, fenced } from './claims.ts';
import { type BookingEvent, bookingIdOf, type PlatformEvent } from './event-schema.ts';
import type { FieldRow } from './field-values.ts';
import { createPeople } from './people.ts';

/**
 * The effects every event's sync has on Zoho, each kept as a sync reference first looked up,
 * so a repeated or retried job re-uses it (DESIGN §4), and created under a claim, so two jobs
 * never create the same thing and an unanswered create is looked for before it is repeated.
 */
export type Person = { module: 'Contacts' | 'Leads'; id: string };
export type Attendee = BookingEvent['data']['booking']['attendees'][number];

export interface EventRow {
  id: string;
  workspace_id: string;
  connection_id: string | null;
  status: string;
  payload: PlatformEvent;
}

export interface Settings {
  newAttendeeModule: 'Contacts' | 'Leads';
  zohoUserId: string | null;
  onlyExisting: boolean;
  syncTasks: boolean;
  suggestDealStages: boolean;
  /** Zoho's `trigger`: `[]` keeps the org's workflow rules from firing; undefined lets them. */
  trigger: string[] | undefined;
  /** Write each booking as a Meeting (Events) too. */
  syncMeetings: boolean;
  /** The connection's grant holds the Meetings scopes (connections/scopes.ts grantsMeetings). */
  meetingsGranted: boolean;
  /** Leave out internal attendees (the host's domain, `internalDomains`). */
  skipInternal: boolean;
  internalDomains: string[];
  /** The event type ids synced; null: all. */
  eventTypes: string[] | null;
  /** Values written on create (src/sync/field-values.ts). */
  fieldRows: FieldRow[];
}

export type SyncDeps = Pick<ConnectionDeps, 'db' | 'records' | 'deals' | 'tokens' | 'logger'> & {
  claimTiming?: ClaimTiming;
};

function createSyncCore(deps: SyncDeps) {
  const { db } = deps;
  const claims = createClaims(db, deps.claimTiming);
  /**
   * The claims each attempt holds, by kind and key: an attempt is one `EventRow` (a job loads
   * its own), so a stalled attempt and the one that took its claim over never share an entry.
   * A reference is kept only while the attempt still holds the claim on it (R7).
   */
  const holding = new WeakMap<EventRow, Map<string, Claim>>();
  const heldBy = (e: EventRow, kind: string, key: string) => holding.get(e)?.get(`${kind}\0${key}`);

  const bookingOf = (e: EventRow) => bookingIdOf(e.payload);

  function activity(
    e: EventRow,
    action: ActivityEntry['action'],
    message: string,
    record?: { module: string; id: string },
  ) {
    return addActivity(db, {
      workspaceId: e.workspace_id,
      eventId: e.id,
      bookingId: bookingOf(e),
      action,
      message,
      record,
    });
  }

  /** As `activity`, said once per event however often its job is retried (addActivityOnce). */
  function activityOnce(e: EventRow, action: ActivityEntry['action'], message: string) {
    return addActivityOnce(db, {
      workspaceId: e.workspace_id,
      eventId: e.id,
      bookingId: bookingOf(e),
      action,
      message,
    });
  }

  async function ref(q: Queryable, connectionId: string, kind: string, key: string) {
    const { rows } = await q.query<{ module: string; zoho_id: string }>(
      'SELECT module, zoho_id FROM sync_refs WHERE connection_id = $1 AND kind = $2 AND key = $3',
      [connectionId, kind, key],
    );
    return rows[0] ? { module: rows[0].module, id: rows[0].zoho_id } : undefined;
  }

  /**
   * Keeps the reference to what was made or found, with its Activity line, in one statement;
   * under a claim only while this attempt still holds it (R7; ClaimLost otherwise). The claim is
   * released after, by whoever took it.
   */
  async function keep(
    e: EventRow,
    kind: string,
    key: string,
    module: string,
    id: string,
    line?: { action: ActivityEntry['action']; message: string; record?: { module: string; id: string } },
  ) {
    const claim = heldBy(e, kind, key);
    const { rows } = await db.query<{ held: number }>(
      `WITH held AS (
         SELECT 1 FROM sync_claims
          WHERE $7::bigint IS NOT NULL AND connection_id = $1 AND kind = $3 AND key = $4 AND fence = $7
            FOR SHARE),
       go AS (SELECT 1 FROM held UNION ALL SELECT 1 WHERE $7::bigint IS NULL),
       kept AS (
         INSERT INTO sync_refs (connection_id, workspace_id, kind, key, module, zoho_id)
         SELECT $1, $2, $3, $4, $5, $6 FROM go
         ON CONFLICT (connection_id, kind, key) DO NOTHING),
       logged AS (
         INSERT INTO activity (workspace_id, event_id, booking_id, action, module, zoho_id, message)
         SELECT $2, $8, $9, $10, $11, $12, $13 FROM go WHERE $10::text IS NOT NULL)
       SELECT count(*)::int AS held FROM go`,
      [
        e.connection_id,
        e.workspace_id,
        kind,
        key,
        module,
        id,
        claim?.fence ?? null,
        e.id,
        bookingOf(e),
        line?.action ?? null,
        line?.record?.module ?? null,
        line?.record?.id ?? null,
        line?.message ?? null,
      ],
    );
    if (!rows[0]?.held) throw new ClaimLost(`a ${kind}`);
  }

  /**
   * Points a reference at another record, only if it still names `stale` (compare and set: a
   * job that finds it already moved uses the new one); true when this call moved it.
   */
  async function replaceRef(
    e: EventRow,
    kind: string,
    key: string,
    stale: { id: string },
    next: { module: string; id: string },
  ): Promise<boolean> {
    // Under a claim, only while this attempt holds it; a fenced-out attempt moves nothing (and
    // its keep then refuses it).
    const { rows } = await db.query(
      `UPDATE sync_refs SET module = $5, zoho_id = $6, kept_at = now()
        WHERE connection_id = $1 AND kind = $2 AND key = $3 AND zoho_id = $4
          AND ($7::bigint IS NULL OR EXISTS (
            SELECT 1 FROM sync_claims c
             WHERE c.connection_id = $1 AND c.kind = $2 AND c.key = $3 AND c.fence = $7))
        RETURNING 1`,
      [e.connection_id, kind, key, stale.id, next.module, next.id, heldBy(e, kind, key)?.fence ?? null],
    );
    return rows.length > 0;
  }

  function failure(result: Extract<RecordResult, { ok: false }>, what: string): ZohoError {
    const field =
      typeof result.details['api_name'] === 'string' ? ` (field ${result.details['api_name']})` : '';
    return new ZohoError(
      recordErrorKind(result.code),
      `Zoho refused to ${what}: ${result.message}${field} [${result.code}]`,
      {
        zohoCode: result.code,
        details: result.details,
      },
    );
  }

  /**
   * Runs `create` under a claim on (kind, key): released when the outcome is known; kept when
   * a create was sent and no answer came, so the next attempt looks in Zoho first.
   */
  function claimed<T>(
    e: EventRow,
    kind: string,
    key: string,
    what: string,
    create: (claim: Claim, sent: { value: boolean }) => Promise<T>,
  ): Promise<T> {
    return claimedAll(e, kind, [{ key, what }], ([claim], sent) => create(claim!, sent));
  }

  /**
   * The same for several things created in one call (a batch): claims taken in key order, so
   * two jobs wanting overlapping sets cannot each hold half; all released or all kept together.
   */
  async function claimedAll<T>(
    e: EventRow,
    kind: string,
    items: ReadonlyArray<{ key: string; what: string }>,
    create: (claims: Claim[], sent: { value: boolean }) => Promise<T>,
  ): Promise<T> {
    const ordered = [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const held: Claim[] = [];
    const sent = { value: false };
    const mine = holding.get(e) ?? new Map<string, Claim>();
    holding.set(e, mine);
    try {
      for (const item of ordered) {
        const claim = await claims.take(e.connection_id!, kind, item.key, e.id, item.what);
        held.push(claim);
        mine.set(`${kind}\0${item.key}`, claim);
      }
      const out = await create(
        items.map((item) => held[ordered.indexOf(item)]!),
        sent,
      );
      for (const claim of held) await claim.release();
      return out;
    } catch (err) {
      // A refusal (4xx, 429) is an answer: nothing was created. A 5xx, a timeout, a dropped
      // connection or our own failure after sending leave it open whether Zoho has it: the
      // claims stay, uncertain. So do those an earlier attempt left uncertain — whatever failed
      // here (the look-up, the database, another claim being busy) did not settle them. A create
      // stopped before it left because what it would make was kept meanwhile sent nothing.
      const unanswered =
        sent.value &&
        !(err instanceof ZohoError && err.kind !== 'transient') &&
        !(err instanceof ClaimSettled);
      if (!unanswered) for (const claim of held) await (claim.uncertain ? claim.unhold() : claim.release());
      throw err;
    } finally {
      for (const item of ordered) mine.delete(`${kind}\0${item.key}`);
    }
  }

  /** A Note on `person`, once per `key`; after an unanswered send, first looked for among its Notes. */
  async function noteOnce(
    e: EventRow,
    auth: AuthSource,
    person: Person,
    key: string,
    note: { title: string; content: string },
    trigger: string[] | undefined,
  ): Promise<void> {
    // Whether it was logged already (a retry) is read with the claim, in one statement.
    await claimed(e, 'note', key, `the note “${note.title}”`, async (claim, sent) => {
      if (claim.existing) return;
      const earlier = claim.uncertain
        ? (await deps.records.notesOn(auth, person)).find(
            (n) => n.title === note.title && n.content === noteContent(note.title, note.content),
          )
        : undefined;
      let id = earlier?.id;
      if (!id) {
        // The send is marked on the claim inside the call's slot, just before it leaves (fenced).
        sent.value = true;
        const result = await deps.records.note(
          fenced(auth, [claim]),
          person,
          note.title,
          note.content,
          trigger,
        );
        if (!result.ok) throw failure(result, 'log the Note');
        id = result.id;
      }
      await keep(e, 'note', key, 'Notes', id, {
        action: 'logged',
        message: `Logged “${note.title}” on the ${person.module.slice(0, -1)}.`,
        record: person,
      });
    });
  }

  return { activity, activityOnce, ref, keep, replaceRef, failure, claimed, claimedAll, noteOnce };
}

export type SyncCore = ReturnType<typeof createSyncCore>;

export function createSyncEffects(deps: SyncDeps) {
  const core = createSyncCore(deps);
  return { ...core, ...createPeople(deps, core) };
}

export type SyncEffects = ReturnType<typeof createSyncEffects>;
