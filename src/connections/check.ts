import { ZohoError } from '../zoho/errors.ts';
import type { Actor, ConnectionDeps } from './deps.ts';
import { problemForErrorKind } from './problems.ts';
import * as repo from './repo.ts';
import { ConnectionUnavailableError } from './tokens.ts';

/**
 * "Check connection": the calls a sync makes first, as the user (refreshing the token if
 * due), which also refresh the account shown on the card. A refused refresh token turns the card to
 * Reconnect needed; other problems are recorded for the card to explain.
 */
export async function checkConnection(deps: ConnectionDeps, actor: Actor): Promise<'ok' | 'problem'> {
  const conn = await repo.findConnection(deps.db, actor.workspaceId, actor.userId);
  if (conn?.status !== 'connected') return 'problem';
  const source = deps.tokens.source(conn.id, actor.workspaceId);
  try {
    const [user, org] = await Promise.all([deps.api.currentUser(source), deps.api.org(source)]);
    // One search, as every booking makes: a grant without Zoho's search scope shows here.
    await deps.records.searchByEmail(source, 'Contacts', user.email);
    await deps.db.query(
      // The edition too: a trial that became paid is held to its new limits from now on.
      `UPDATE connections SET zoho_user_name = $3, zoho_user_email = $4, zoho_org_name = $5, zoho_edition = $6,
              problem_code = NULL, problem_detail = NULL, problem_at = NULL, updated_at = now()
        WHERE workspace_id = $1 AND id = $2 AND status = 'connected'`,
      [actor.workspaceId, conn.id, user.name, user.email, org.name, org.edition],
    );
    return 'ok';
  } catch (err) {
    if (err instanceof ConnectionUnavailableError) return 'problem';
    if (!(err instanceof ZohoError)) throw err;
    // A missing scope was recorded, with which one, as the call failed (the token source).
    if (err.kind === 'scope') return 'problem';
    await repo.setProblem(deps.db, actor.workspaceId, conn.id, {
      code: problemForErrorKind(err.kind, 'zoho_unavailable'),
      detail: err.message,
    });
    return 'problem';
  }
}
