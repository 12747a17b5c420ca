import type { AnalysisInput, AnalysisResult } from '../analysis/analysis.ts';
import type { Clock } from '../clock.ts';
import { ConnectionUnavailableError } from '../connections/tokens.ts';
import { ZohoError } from '../zoho/errors.ts';
import { syncBooking } from './booking-sync.ts';
import { ClaimBusy } from './claims.ts';
import { createSyncEffects, type EventRow, type Settings, type SyncDeps } from './effects.ts';
import type { BookingEvent } from './event-schema.ts';
import { createFailureLog, type FailedAttempt, failureFacts } from './failure-log.ts';
import { type NotesEvent, SkipEvent, syncNotes } from './notes-sync.ts';

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

  async function settle(
    e: EventRow,
    status: 'done' | 'failed' | 'skipped' | 'waiting',
    detail: string | null,
    code?: string,
  ) {
    await db.query(
      `UPDATE events SET status = $2, detail = $3, error_code = $4, updated_at = now()
        WHERE id = $1 AND workspace_id = $5`,
      [e.id, status, detail, code ?? null, e.workspace_id],
    );
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

  async function settingsOf(e: EventRow): Promise<Settings> {
    const { rows } = await db.query<{
      new_attendee_module: 'Contacts' | 'Leads';
      zoho_user_id: string | null;
      only_existing: boolean;
      fire_workflows: boolean;
      sync_tasks: boolean;
      suggest_deal_stages: boolean;
      user_id: string;
    }>(
      `SELECT new_attendee_module, zoho_user_id, only_existing, fire_workflows, sync_tasks, suggest_deal_stages, user_id
         FROM connections
        WHERE workspace_id = $1 AND id = $2`,
      [e.workspace_id, e.connection_id],
    );
    const c = rows[0];
    return {
      newAttendeeModule: c?.new_attendee_module ?? 'Contacts',
      zohoUserId: c?.zoho_user_id ?? null,
      onlyExisting: c?.only_existing ?? false,
      syncTasks: c?.sync_tasks ?? true,
      suggestDealStages: c?.suggest_deal_stages ?? true,
      trigger: c?.fire_workflows ? undefined : [],
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
    ): Promise<void> {
      const { rows } = await db.query<EventRow>(
        `SELECT id, workspace_id, connection_id, status, payload FROM events
          WHERE id = $1 AND ($2::text IS NULL OR workspace_id = $2) ORDER BY received_at LIMIT 1`,
        [eventId, workspaceId ?? null],
      );
      const e = rows[0];
      if (e?.status !== 'queued' || !e.connection_id) return;
      const settings = await settingsOf(e);
      const auth = deps.tokens.source(e.connection_id, e.workspace_id);
      try {
        if (e.payload.type === 'meeting.notes_processed')
          await syncNotes(
            { db, records: deps.records, deals: deps.deals, fx, analyze: deps.analyze },
            e as EventRow & { payload: NotesEvent },
            auth,
            settings,
          );
        else await syncBooking({ db, fx }, e as EventRow & { payload: BookingEvent }, auth, settings);
        await settle(e, 'done', null);
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
          return;
        }
        if (err instanceof ConnectionUnavailableError && err.reason === 'not_connected') {
          await fx.activity(e, 'skipped', 'Zoho CRM was disconnected before this event was synced.');
          return settle(e, 'skipped', 'disconnected');
        }
        if (err instanceof ZohoError && !err.retryable) {
          await fx.activity(e, 'failed', err.message);
          await settle(e, 'failed', err.message, err.zohoCode ?? err.kind);
          return failures.gaveUp(
            { eventId: e.id, connectionId: e.connection_id },
            failureFacts(err)!,
            'not_retryable',
          );
        }
        // For the queue to retry; the cause is shown meanwhile, and kept if the retries run out.
        // Logged first: a database that is failing must not hide it.
        failures.attemptFailed(
          { eventId: e.id, connectionId: e.connection_id, ...(attempt ? { attempt } : {}) },
          err,
        );
        const cause =
          err instanceof ZohoError || err instanceof ClaimBusy
            ? err.message
            : 'an internal error (see the service log)';
        await db.query(
          'UPDATE events SET detail = $2, updated_at = now() WHERE id = $1 AND workspace_id = $4 AND status = $3',
          [e.id, cause, 'queued', e.workspace_id],
        );
        throw err;
      }
    },
  };
}

export type EventSync = ReturnType<typeof createEventSync>;
