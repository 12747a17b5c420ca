/**
 * How long the next attempt waits, after a create was sent and no answer came (a 5xx, a timeout,
 * a dropped connection, a crash), before it looks in Zoho for what may have been saved — which
 * depends on how it looks (R3):
 * - a person is looked for by an email search, and Zoho's search can lag a record created a
 *   moment ago (ZOHO-API.md §5, §8: not documented how long): the search lag;
 * - a Note or Task is looked for among its record's related Notes or Tasks, read directly
 *   (`GET /{module}/{id}/Notes`, `…/Tasks`), not through the search index: only the moment a
 *   write Zoho was still working on when the answer failed may need to finish (`settleMs`);
 * - a Meeting likewise, among its first attendee's `Invited_Events` (sync/meetings.ts).
 * Any other kind waits the search lag, the safe side.
 */
export interface LagTiming {
  searchLagMs: number;
  settleMs?: number;
}

/**
 * How long after the send a write Zoho got may still be being saved. Not documented by Zoho (a
 * guess): a reply that failed with a 5xx ended the request; a timeout already waited 30 s; what
 * is left is a connection dropped, or a worker killed, while Zoho was still saving.
 */
export const DEFAULT_SETTLE_MS = 10_000;

const readDirectly = new Set(['note', 'task', 'meeting']);

export interface Lag {
  ms: number;
  /** What the event is waiting for, for the Activity page; `what` names the record. */
  reason(what: string): string;
}

export function lagFor(kind: string, timing: LagTiming): Lag {
  const checking = (what: string) =>
    `Checking whether Zoho CRM saved ${what}, sent earlier without an answer, before sending it again`;
  if (readDirectly.has(kind)) {
    const ms = Math.min(timing.settleMs ?? DEFAULT_SETTLE_MS, timing.searchLagMs);
    return {
      ms,
      reason: (what) => `${checking(what)}: Zoho may still be saving it for up to ${seconds(ms)}.`,
    };
  }
  const ms = timing.searchLagMs;
  return {
    ms,
    reason: (what) => `${checking(what)}: Zoho’s search shows a new record only after up to ${seconds(ms)}.`,
  };
}

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;
