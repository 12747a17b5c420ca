import type { AnalysisInput, AnalysisResult } from '../analysis/analysis.ts';
import { AnalysisTimeout } from '../analysis/offline-thread.ts';
import type { Clock } from '../clock.ts';
import { liveTokensFrom, liveTokensJson } from '../connections/repo.ts';
import { grantsMeetings } from '../connections/scopes.ts';
import { ConnectionUnavailableError } from '../connections/tokens.ts';
import { ZohoError } from '../zoho/errors.ts';
import { syncBooking } from './booking-sync.ts';
import { ClaimBusy } from './claims.ts';
import { createSyncEffects, type EventRow, type Settings, type SyncDeps } from './effects.ts';
import type { BookingEvent } from './event-schema.ts';
import { createFailureLog, type FailedAttempt, failureFacts } from './failure-log.ts';
import type { FieldRow } from './field-values.ts';
import { type NotesEvent, SkipEvent, syncNotes } from './notes-sync.ts';

/** The event, its connection's sync settings and its live tokens: the job's first statement. */
const eventWithSettings = `SELECT e.id, e.workspace_id, e.connection_id, e.status, e.payload,
        c.new_attendee_module, c.zoho_user_id, c.only_existing, c.fire_workflows, c.sync_tasks,
        c.suggest_deal_stages, c.sync_meetings, c.skip_internal, c.internal_domains, c.event_types,
        c.field_rows, c.scopes, ${liveTokensJson('e.connection_id', 'e.workspace_id')} AS live
   FROM events e LEFT JOIN connections c ON c.workspace_id = e.workspace_id AND c.id = e.connection_id`;

/**
 * One queued event in Zoho: bookings (syncBooking) and meeting notes (syncNotes). Errors a
 * retry cannot fix end the event as failed with their cause; a connection that needs
 * reconnecting pauses it; others are thrown for the queue to retry, with the cause shown.
 */
export function createEventSync(
  deps: SyncDeps & { analyze(input: AnalysisInput): Promise<AnalysisResult>; clock?: Clock },
) {
  const { db } = deps;
  const fx = createSyncEffects(deps);
  const failures = createFailureLog({ logger: deps.logger, ...(deps.clock ? { clock: deps.clock } : {}) });

  /**
   * The event's outcome, and in the same statement the claims its attempts left that guard
   * nothing any more (as sweepClaims does once the event is no longer in progress; R4): this
   * event's, on its connection, whose create was never sent or whose reference was kept after it.
   * True: the attempt's claims are swept.
   */
  async function settle(
    e: EventRow,
    status: 'done' | 'failed' | 'skipped' | 'waiting',
    detail: string | null,
    code?: string,
  ): Promise<true> {
    await db.query(
      `WITH settled AS (
         UPDATE events SET status = $2, detail = $3, error_code = $4, updated_at = now()
          WHERE id = $1 AND workspace_id = $5 RETURNING 1),
       swept AS (
         DELETE FROM sync_claims c
          WHERE c.holder = $1 AND c.connection_id = $6 AND EXISTS (SELECT 1 FROM settled)
            AND (c.sent_at IS NULL
                 OR EXISTS (SELECT 1 FROM sync_refs r
                             WHERE r.connection_id = c.connection_id AND r.kind = c.kind AND r.key = c.key
                               AND COALESCE(r.kept_at, r.created_at) >= c.sent_at))
          RETURNING 1)
       SELECT (SELECT count(*) FROM swept)::int AS swept`,
      [e.id, status, detail, code ?? null, e.workspace_id, e.connection_id],
    );
    return true;
  }

  /** Waiting, if its connection still needs reconnecting; false when it was reconnected meanwhile. */
  async function pauseForReconnect(e: EventRow): Promise<boolean> {
    const { rows } = await db.query(
      `UPDATE events SET status = 'waiting', detail = 'reconnect needed', error_code = NULL, updated_at = now()
        WHERE id = $1 AND workspace_id = $3 AND EXISTS (
          SELECT 1 FROM connections WHERE id = $2 AND workspace_id = $3 AND status = 'reconnect_needed')
        RETURNING 1`,
      [e.id, e.connection_id, e.workspace_id],
    );
    return rows.length > 0;
  }

  /** The connection's settings, read with the event (settingsOf). */
  type SettingsRow = {
    new_attendee_module: 'Contacts' | 'Leads' | null;
    zoho_user_id: string | null;
    only_existing: boolean | null;
    fire_workflows: boolean | null;
    sync_tasks: boolean | null;
    suggest_deal_stages: boolean | null;
    sync_meetings: boolean | null;
    skip_internal: boolean | null;
    internal_domains: string[] | null;
    event_types: Array<{ id: string }> | null;
    field_rows: FieldRow[] | null;
    scopes: string | null;
  };
  function settingsOf(c: SettingsRow): Settings {
    return {
      newAttendeeModule: c.new_attendee_module ?? 'Contacts',
      zohoUserId: c.zoho_user_id ?? null,
      onlyExisting: c.only_existing ?? false,
      syncTasks: c.sync_tasks ?? true,
      suggestDealStages: c.suggest_deal_stages ?? true,
      trigger: c.fire_workflows ? undefined : [],
      syncMeetings: c.sync_meetings ?? false,
      meetingsGranted: grantsMeetings(c.scopes),
      skipInternal: c.skip_internal ?? true,
      internalDomains: c.internal_domains ?? [],
      eventTypes: c.event_types ? c.event_types.map((t) => t.id) : null,
      fieldRows: c.field_rows ?? [],
    };
  }

  return {
    /**
     * `attempt`: which try of the event's job this is, for the log (the queue knows).
     * `workspaceId`: whose event (ids are unique per workspace); a job queued before migration
     * 0011 names none, and means the oldest event of that id: the one there was then.
     */
    async handle(
      eventId: string,
      attempt?: FailedAttempt['attempt'],
      workspaceId?: string | undefined,
    ): Promise<{ swept: boolean }> {
      return { swept: await syncEvent(eventId, attempt, workspaceId) };
    },
  };

  /** True when the attempt ended by settling the event, which swept its claims (settle). */
  async function syncEvent(
    eventId: string,
    attempt?: FailedAttempt['attempt'],
    workspaceId?: string | undefined,
  ): Promise<boolean> {
    // The event, its connection's settings and live tokens in one statement. A job names the event's
    // workspace; one queued before event ids were per workspace names the id alone. Two texts, not
    // one with "$2 IS NULL OR …": PostgreSQL plans each once per connection (db/postgres.ts), where
    // the optional condition had it planned again on every call.
    const { rows } = await db.query<EventRow & SettingsRow & { live: Record<string, unknown> | null }>(
      workspaceId
        ? `${eventWithSettings} WHERE e.id = $1 AND e.workspace_id = $2`
        : `${eventWithSettings} WHERE e.id = $1 ORDER BY e.received_at LIMIT 1`,
      workspaceId ? [eventId, workspaceId] : [eventId],
    );
    const row = rows[0];
    if (row?.status !== 'queued' || !row.connection_id) return false;
    const settings = settingsOf(row);
    const e: EventRow = {
      id: row.id,
      workspace_id: row.workspace_id,
      connection_id: row.connection_id,
      status: row.status,
      payload: row.payload,
    };
    const auth = deps.tokens.source(row.connection_id, e.workspace_id, {
      reuse: true,
      preloaded: liveTokensFrom(row.live),
    });
    try {
      if (e.payload.type === 'meeting.notes_processed')
        await syncNotes(
          { db, records: deps.records, deals: deps.deals, fx, analyze: deps.analyze },
          e as EventRow & { payload: NotesEvent },
          auth,
          settings,
        );
      else
        await syncBooking(
          { db, fx, records: deps.records },
          e as EventRow & { payload: BookingEvent },
          auth,
          settings,
        );
      return await settle(e, 'done', null);
    } catch (err) {
      if (err instanceof SkipEvent) {
        await fx.activity(e, 'skipped', err.message);
        return settle(e, 'skipped', err.message);
      }
      // A missing scope marked the connection Reconnect needed (the card says which): paused too.
      if (
        (err instanceof ConnectionUnavailableError && err.reason === 'reconnect_needed') ||
        (err instanceof ZohoError && err.kind === 'scope')
      ) {
        // Paused, not lost: reconnecting queues it again (resumeWaiting) — unless the user
        // reconnected while this job ran, and the queue is to try it again now.
        if (!(await pauseForReconnect(e)))
          throw new ZohoError('transient', 'Zoho CRM was reconnected while this event was syncing');
        await fx.activity(
          e,
          'waiting',
          err instanceof ZohoError
            ? 'Waiting: PepoSmart needs one more permission in Zoho CRM. Reconnect on the Integrations page and accept it; this meeting then syncs.'
            : 'Waiting: Zoho CRM needs to be reconnected on the Integrations page.',
        );
        return false;
      }
      if (err instanceof ConnectionUnavailableError && err.reason === 'not_connected') {
        await fx.activity(e, 'skipped', 'Zoho CRM was disconnected before this event was synced.');
        return settle(e, 'skipped', 'disconnected');
      }
      if (err instanceof ZohoError && !err.retryable) {
        await fx.activity(e, 'failed', err.message);
        await settle(e, 'failed', err.message, err.zohoCode ?? err.kind);
        failures.gaveUp(
          { eventId: e.id, connectionId: e.connection_id },
          failureFacts(err)!,
          'not_retryable',
        );
        return true;
      }
      // For the queue to retry; the cause is shown meanwhile, and kept if the retries run out.
      // Logged first: a database that is failing must not hide it.
      failures.attemptFailed(
        { eventId: e.id, connectionId: e.connection_id, ...(attempt ? { attempt } : {}) },
        err,
      );
      const cause =
        err instanceof ZohoError || err instanceof ClaimBusy || err instanceof AnalysisTimeout
          ? err.message
          : 'an internal error (see the service log)';
      await db.query(
        'UPDATE events SET detail = $2, updated_at = now() WHERE id = $1 AND workspace_id = $4 AND status = $3',
        [e.id, cause, 'queued', e.workspace_id],
      );
      throw err;
    }
  }
}

export type EventSync = ReturnType<typeof createEventSync>;
