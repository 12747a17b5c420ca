import { revokeQuietly } from './connect.ts';
import type { Actor, ConnectionDeps } from './deps.ts';
import * as repo from './repo.ts';

/**
 * Disconnect: tokens deleted and the connection marked not connected in one transaction,
 * so from the commit on no call can be made with them; then the refresh token is revoked
 * at Zoho, which also ends its access tokens. Records already in Zoho stay.
 */
export async function disconnect(deps: ConnectionDeps, actor: Actor): Promise<void> {
  const conn = await repo.findConnection(deps.db, actor.workspaceId, actor.userId);
  if (!conn) return;
  const sealed = await deps.db.transaction(async (tx) => {
    const tokens = await repo.readTokens(tx, actor.workspaceId, conn.id);
    await repo.deleteTokens(tx, actor.workspaceId, conn.id);
    await repo.markDisconnected(tx, actor.workspaceId, conn.id);
    return tokens?.refreshToken;
  });
  deps.logger.info({ userId: actor.userId, connectionId: conn.id }, 'zoho disconnected');
  const dc = conn.accountsServer ? deps.dataCentres.byAccountsServer(conn.accountsServer) : undefined;
  if (sealed && dc) await revokeQuietly(deps, dc, deps.vault.open(sealed, conn.id));
}
