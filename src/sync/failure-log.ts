import { AnalysisTimeout } from '../analysis/offline-thread.ts';
import { type Clock, systemClock } from '../clock.ts';
import { ConnectionUnavailableError } from '../connections/tokens.ts';
import type { Logger } from '../log.ts';
import { ZohoError } from '../zoho/errors.ts';
import { ClaimBusy, ClaimLost } from './claims.ts';

/**
 * What an operator sees of failing syncs (R6): a warn line per failed attempt the queue will try
 * again, at most one a minute per connection and failure code (a storm of 5xx is one line a
 * minute, saying how many like it were left out), and an error line for every event that gives
 * up. Only ids, codes and statuses: never a message, which may quote a record's fields.
 */
export interface FailureFacts {
  /**
   * Zoho's code (INTERNAL_ERROR), else its kind (transient, rate_limit), else ours (internal).
   * Logged as `errorCode`: a field named `code` is redacted everywhere (a grant code).
   */
  errorCode: string;
  /** Zoho's HTTP status, when it answered. */
  status?: number;
}

/**
 * The facts of a failed attempt; undefined when it is no failure: the event waits for a claim
 * (another event's sync of the same record, or Zoho's search lag after an unanswered create).
 */
export function failureFacts(err: unknown): FailureFacts | undefined {
  if (err instanceof ZohoError)
    return {
      errorCode: err.zohoCode ?? err.kind,
      ...(err.status === undefined ? {} : { status: err.status }),
    };
  if (err instanceof ConnectionUnavailableError) return { errorCode: `connection_${err.reason}` };
  // An attempt that stalled and was fenced out by the next one: worth an operator's look.
  if (err instanceof ClaimLost) return { errorCode: 'claim_lost' };
  if (err instanceof ClaimBusy) return undefined;
  if (err instanceof AnalysisTimeout) return { errorCode: 'analysis_timeout' };
  return { errorCode: 'internal' };
}

export interface FailedAttempt {
  eventId: string;
  connectionId: string | null;
  /** This attempt's number and how many the queue makes in all, when known. */
  attempt?: { number: number; of: number };
}

/** Whether a line goes out now, and how many were left out before it (per key and window). */
export function admit(
  windows: Map<string, { until: number; suppressed: number }>,
  key: string,
  now: number,
  windowMs: number,
): { log: boolean; suppressed: number } {
  const open = windows.get(key);
  if (open && now < open.until) {
    open.suppressed += 1;
    return { log: false, suppressed: open.suppressed };
  }
  if (windows.size >= 10_000) for (const [k, w] of windows) if (w.until <= now) windows.delete(k);
  windows.set(key, { until: now + windowMs, suppressed: 0 });
  return { log: true, suppressed: open?.suppressed ?? 0 };
}

export function createFailureLog(deps: { logger: Logger; clock?: Clock; windowMs?: number }) {
  const clock = deps.clock ?? systemClock;
  const windowMs = deps.windowMs ?? 60_000;
  const windows = new Map<string, { until: number; suppressed: number }>();

  return {
    /** An attempt failed and its event stays queued: a warn line, rate-limited. */
    attemptFailed(at: FailedAttempt, err: unknown): void {
      const facts = failureFacts(err);
      if (!facts) {
        deps.logger.debug(
          { eventId: at.eventId, connectionId: at.connectionId },
          'zoho sync waiting for a claim',
        );
        return;
      }
      const key = `${at.connectionId ?? ''}\0${facts.errorCode}`;
      const { log, suppressed } = admit(windows, key, clock.now().getTime(), windowMs);
      if (!log) return;
      const last = at.attempt && at.attempt.number >= at.attempt.of;
      deps.logger.warn(
        {
          eventId: at.eventId,
          connectionId: at.connectionId,
          ...facts,
          ...(at.attempt ? { attempt: at.attempt.number, attempts: at.attempt.of } : {}),
          ...(facts.errorCode === 'internal' ? { internal: internalFacts(err) } : {}),
          // Failures like this one (same connection and code) not logged since the last line.
          suppressed,
        },
        last ? 'zoho sync attempt failed; no retries left' : 'zoho sync attempt failed; it will be retried',
      );
    },

    /** The event failed for good: an error line, always. */
    gaveUp(
      at: Omit<FailedAttempt, 'attempt'>,
      facts: FailureFacts,
      reason: 'not_retryable' | 'retries_exhausted',
    ): void {
      deps.logger.error(
        { eventId: at.eventId, connectionId: at.connectionId, ...facts, reason },
        'zoho sync gave up',
      );
    },
  };
}

export type FailureLog = ReturnType<typeof createFailureLog>;

/**
 * An internal error's type, code and where it was raised, without its message: a database
 * error's message can quote the value it refused.
 */
function internalFacts(err: unknown) {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { errorCode: code } : {}),
    at: err.stack
      ?.split('\n')
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 3)
      .map((l) => l.trim()),
  };
}
