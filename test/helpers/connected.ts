import { expect } from 'vitest';
import { findConnection } from '../../src/connections/repo.ts';
import type { AuthSource } from '../../src/zoho/transport.ts';
import { type AppSession, startTestApp, type TestApp, zohoEmail } from './app.ts';
import type { DatabaseKind } from './db.ts';
import type { CreatedOrg, OrgInput, useSandbox } from './sandbox.ts';

/** An app with usr_alex connected to a fresh sandbox org through the real OAuth flow. */
export interface Connected {
  app: TestApp;
  session: AppSession;
  org: CreatedOrg;
  connectionId: string;
  source: AuthSource;
}

export async function connectedApp(
  sb: ReturnType<typeof useSandbox>,
  kind: DatabaseKind,
  org: OrgInput = {},
  appOptions: Partial<Parameters<typeof startTestApp>[0]> = {},
): Promise<Connected> {
  const app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base, ...appOptions });
  const created = await sb.client.createOrg(org);
  const session = await app.signIn('usr_alex');
  const done = await session.connect(sb.base, zohoEmail(created));
  expect(done.location?.search).toBe('?done=connected');
  const conn = (await findConnection(app.db, 'ws_demo', 'usr_alex'))!;
  return {
    app,
    session,
    org: created,
    connectionId: conn.id,
    source: app.deps.tokens.source(conn.id, 'ws_demo'),
  };
}

/** Makes the stored access token look expired to the app (the sandbox's clock is separate). */
export async function expireStoredAccessToken(app: TestApp, connectionId: string): Promise<void> {
  await app.db.query(
    "UPDATE connection_tokens SET access_expires_at = now() - interval '1 minute' WHERE connection_id = $1",
    [connectionId],
  );
}
