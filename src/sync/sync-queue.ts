import type { Queryable } from '../db/port.ts';
import type { JobQueue, WorkOptions } from '../jobs/queue.ts';
import { concurrencyFor, editionConcurrency } from '../zoho/editions.ts';

/** The queue every sync job goes to: one job per event. */
export const SYNC_QUEUE = 'zoho-sync';
/** Where a sync job goes when its retries are spent: its event is then marked failed. */
export const SYNC_DEAD_QUEUE = 'zoho-sync-dead';
/** Attempts after the first; with backoff (5 s doubling, at most 5 min) about 20 minutes in all. */
export const SYNC_RETRY_LIMIT = 8;

/**
 * A sync job's data: its event, by workspace and id (the platform's ids are unique per
 * workspace, migration 0011). Jobs queued before then name the id only.
 */
export interface SyncJob {
  eventId: string;
  workspaceId?: string | undefined;
}

/**
 * Queues the sync of an event, inside `tx`. The job's group is the event's Zoho org and its
 * tier the org's edition, so jobs of one org run at most the edition's limit at once across
 * every worker: each job makes one Zoho call at a time, so calls stay within it too.
 */
export async function enqueueSync(
  tx: Queryable,
  queue: Pick<JobQueue, 'send'>,
  workspaceId: string,
  eventId: string,
): Promise<void> {
  const { rows } = await tx.query<{ org_key: string; edition: string | null }>(
    `SELECT COALESCE(c.zoho_org_id, c.id) AS org_key, c.zoho_edition AS edition
       FROM events e JOIN connections c ON c.id = e.connection_id
      WHERE e.workspace_id = $1 AND e.id = $2`,
    [workspaceId, eventId],
  );
  const org = rows[0];
  await queue.send(
    tx,
    SYNC_QUEUE,
    { workspaceId, eventId } satisfies SyncJob,
    org ? { group: { id: org.org_key, ...(org.edition ? { tier: org.edition } : {}) } } : {},
  );
}

/**
 * Jobs at once per org, across every worker process: half as many again as the org's calls at
 * once (each edition's limit, capped by the operator's setting when given). A job makes one Zoho
 * call at a time, with database work between its calls and before and after them; the extra jobs
 * take an org's call slot the moment one is free, so its slots stay busy through a burst (issue 13:
 * a Free org's 5 jobs for 5 slots left them idle about a third of the time). Calls themselves
 * never exceed the limit: the transport holds them to it (zoho/transport.ts, connections/call-slots.ts).
 */
export function jobsPerOrg(calls: number): number {
  return calls + Math.ceil(calls / 2);
}

function limits(cap: number | undefined, jobs: (calls: number) => number) {
  return {
    default: jobs(concurrencyFor(null, cap)),
    tiers: Object.fromEntries(Object.keys(editionConcurrency).map((e) => [e, jobs(concurrencyFor(e, cap))])),
  };
}

export function orgLimits(cap: number | undefined): NonNullable<WorkOptions['groupConcurrency']> {
  return limits(cap, jobsPerOrg);
}

export function orgLimitsHere(cap: number | undefined): NonNullable<WorkOptions['localGroupConcurrency']> {
  // As many in one process as across every process (the cross-process limit still holds them all):
  // with one more than its calls, as before, a Free org in one process left a slot idle whenever
  // two of its six jobs were between calls (phase B: 1.20× the bound, 1.14× with this).
  return orgLimits(cap);
}
