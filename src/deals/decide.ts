import type { ConnectionDeps } from '../connections/deps.ts';
import { ConnectionUnavailableError } from '../connections/tokens.ts';
import { ZohoError } from '../zoho/errors.ts';
import { findSuggestion, type Suggestion, type Viewer } from './suggestions.ts';

/**
 * Approving or rejecting a suggestion. Only the owner of the connection it was made through
 * decides (an approval writes through their Zoho connection); admins see, not decide.
 * Approve re-reads the deal and writes the Stage only if the deal is still at the stage the
 * suggestion was made from and still open; otherwise it says what changed and writes nothing.
 * Every decision is audited (who, when, from, to, outcome).
 */
export type DecisionResult =
  | { kind: 'written'; from: string; to: string }
  | { kind: 'rejected' }
  | { kind: 'conflict'; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'refused'; message: string }
  /** Nothing was decided: the suggestion is open again, and `reason` says what stood in the way. */
  | { kind: 'unavailable'; reason: Unavailable; message: string };

/**
 * Why an approval could not be carried out, each with its own way on (the page words them):
 * - not_connected / reconnect_needed: the owner's Zoho connection is gone or refused; connect again;
 * - no_access: Zoho refused this user the deal (profile permission, edition): an admin in Zoho CRM;
 * - unreachable: Zoho did not answer the re-read, or answered unexpectedly: try again;
 * - unconfirmed: the stage change was sent but never confirmed, so it may have been made: a new
 *   approval re-reads the deal first, so it is never written twice.
 */
export type Unavailable = 'not_connected' | 'reconnect_needed' | 'no_access' | 'unreachable' | 'unconfirmed';

/** What stopped an approval, from the error and whether the stage change had been sent yet. */
export function unavailableReason(err: unknown, sent: boolean): Unavailable | undefined {
  if (err instanceof ConnectionUnavailableError) return err.reason;
  if (!(err instanceof ZohoError)) return undefined;
  if (err.kind === 'token' || err.kind === 'grant' || err.kind === 'scope') return 'reconnect_needed';
  if (err.kind === 'permission' || err.kind === 'edition') return 'no_access';
  // A refused call (429) was not applied; anything else after sending may have been.
  return sent && err.kind !== 'rate_limit' ? 'unconfirmed' : 'unreachable';
}

const unavailableMessages: Record<Unavailable, string> = {
  not_connected: 'Zoho CRM is not connected: nothing was written.',
  reconnect_needed: 'Zoho CRM needs reconnecting: nothing was written.',
  no_access: 'Zoho CRM refused access to the deal: nothing was written.',
  unreachable: 'Zoho CRM could not be reached: nothing was written.',
  unconfirmed: 'Zoho CRM did not confirm the stage change: it may or may not have been made.',
};

type Deps = Pick<ConnectionDeps, 'db' | 'deals' | 'tokens' | 'logger'>;

/** Takes the open suggestion for this decision, so two clicks never decide twice. */
async function take(deps: Deps, v: Viewer, id: string): Promise<Suggestion | undefined> {
  const { rows } = await deps.db.query<{ id: string }>(
    `UPDATE suggestions SET status = 'deciding' WHERE workspace_id = $1 AND id = $2 AND user_id = $3 AND status = 'open'
     RETURNING id`,
    [v.workspaceId, id, v.userId],
  );
  return rows[0] ? findSuggestion(deps.db, v, id) : undefined;
}

async function finish(
  deps: Deps,
  s: Suggestion,
  v: Viewer,
  d: {
    action: 'approve' | 'reject';
    dealId: string;
    from: string;
    to: string | null;
    outcome: 'written' | 'conflict' | 'failed' | 'rejected';
    detail: string | null;
    status: Suggestion['status'];
  },
) {
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE suggestions SET status = $3, outcome = $4, decided_at = now() WHERE workspace_id = $1 AND id = $2`,
      [s.workspaceId, s.id, d.status, d.detail],
    );
    await tx.query(
      `INSERT INTO suggestion_decisions (suggestion_id, workspace_id, user_id, action, deal_id, from_stage, to_stage, outcome, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [s.id, s.workspaceId, v.userId, d.action, d.dealId, d.from, d.to, d.outcome, d.detail],
    );
  });
}

async function notOwner(deps: Deps, v: Viewer, id: string): Promise<DecisionResult> {
  const seen = await findSuggestion(deps.db, v, id);
  if (!seen) return { kind: 'refused', message: 'No such suggestion here.' };
  if (seen.userId !== v.userId)
    return {
      kind: 'refused',
      message: `Only ${seen.ownerName ?? 'its owner'} can decide: it writes through their Zoho connection.`,
    };
  return { kind: 'refused', message: 'This suggestion has already been decided.' };
}

export async function rejectSuggestion(deps: Deps, v: Viewer, id: string): Promise<DecisionResult> {
  const s = await take(deps, v, id);
  if (!s) return notOwner(deps, v, id);
  await finish(deps, s, v, {
    action: 'reject',
    dealId: s.dealId,
    from: s.fromStage,
    to: null,
    outcome: 'rejected',
    detail: 'Nothing was written to Zoho CRM.',
    status: 'rejected',
  });
  return { kind: 'rejected' };
}

export async function approveSuggestion(
  deps: Deps,
  v: Viewer,
  id: string,
  choice: { dealId?: string | undefined; stage?: string | undefined },
): Promise<DecisionResult> {
  const s = await take(deps, v, id);
  if (!s) return notOwner(deps, v, id);
  const reopen = async () => {
    await deps.db.query(`UPDATE suggestions SET status = 'open' WHERE id = $1 AND status = 'deciding'`, [
      s.id,
    ]);
  };
  // The deal: the suggested one, or another open deal of the contact offered with it.
  const target =
    !choice.dealId || choice.dealId === s.dealId
      ? { id: s.dealId, name: s.dealName, stage: s.fromStage, stages: s.stages }
      : s.otherDeals.find((d) => d.id === choice.dealId);
  const to = choice.stage || (target?.id === s.dealId ? s.suggestedStage : undefined);
  if (!target || !to || !target.stages.some((x) => x.name === to) || to === target.stage) {
    await reopen();
    return { kind: 'refused', message: 'Choose a different stage of that deal’s own pipeline.' };
  }
  // Set once the stage change is on its way: a failure after that may have moved the deal.
  let sent = false;
  try {
    const auth = deps.tokens.source(s.connectionId, s.workspaceId);
    const now = await deps.deals.get(auth, target.id);
    const closedNow = now && target.stages.find((x) => x.name === now.stage)?.closed;
    if (!now || now.stage !== target.stage || closedNow) {
      const message = !now
        ? `The deal “${target.name}” is no longer in Zoho CRM: nothing was written.`
        : now.stage === to
          ? `The deal “${target.name}” is already at “${to}” in Zoho CRM, so nothing more was written.`
          : `The deal “${target.name}” is now at “${now.stage}” (it was at “${target.stage}” when this was suggested), so nothing was written.`;
      await finish(deps, s, v, {
        action: 'approve',
        dealId: target.id,
        from: target.stage,
        to,
        outcome: 'conflict',
        detail: message,
        status: 'conflict',
      });
      return { kind: 'conflict', message };
    }
    const settings = await deps.db.query<{ fire_workflows: boolean }>(
      'SELECT fire_workflows FROM connections WHERE id = $1',
      [s.connectionId],
    );
    // The only path that writes a Deal: the suite checks every Deal write the sandbox saw against this line.
    deps.logger.info({ suggestionId: s.id, dealId: target.id }, 'writing deal stage after approval');
    sent = true;
    const result = await deps.deals.setStage(
      auth,
      target.id,
      to,
      settings.rows[0]?.fire_workflows ? undefined : [],
    );
    if (!result.ok) {
      const message =
        result.code === 'RECORD_IN_BLUEPRINT'
          ? `Zoho CRM refused: the deal “${target.name}” follows a Blueprint, so its stage moves only through the Blueprint's transitions in Zoho CRM. Nothing was written.`
          : `Zoho CRM refused the stage change: ${result.message} [${result.code}]. Nothing was written.`;
      await finish(deps, s, v, {
        action: 'approve',
        dealId: target.id,
        from: target.stage,
        to,
        outcome: 'failed',
        detail: message,
        status: 'failed',
      });
      return { kind: 'failed', message };
    }
    await finish(deps, s, v, {
      action: 'approve',
      dealId: target.id,
      from: target.stage,
      to,
      outcome: 'written',
      detail: `Moved “${target.name}” from “${target.stage}” to “${to}”.`,
      status: 'approved',
    });
    return { kind: 'written', from: target.stage, to };
  } catch (err) {
    await reopen();
    const reason = unavailableReason(err, sent);
    if (!reason) throw err;
    deps.logger.warn(
      {
        suggestionId: s.id,
        reason,
        ...(err instanceof ZohoError
          ? { zoho: { kind: err.kind, status: err.status, code: err.zohoCode } }
          : {}),
      },
      'deal-stage approval not carried out',
    );
    return { kind: 'unavailable', reason, message: unavailableMessages[reason] };
  }
}
