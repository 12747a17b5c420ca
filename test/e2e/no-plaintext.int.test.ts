import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/port.ts';
import { type Connected, connectedApp, expireStoredAccessToken } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { zohoTokenPattern } from '../helpers/logs.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const sb = useSandbox();

/** Every row of every table of the app's schema, as text. */
async function dumpAllTables(db: Database): Promise<string> {
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  expect(rows.map((r) => r.table_name)).toContain('connection_tokens');
  let out = '';
  for (const { table_name } of rows) {
    const dump = await db.query(`SELECT * FROM "${table_name}"`);
    out += `${table_name}: ${JSON.stringify(dump.rows)}\n`;
  }
  return out;
}

describe.each(databaseKinds)('tokens at rest on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('no table holds an access or refresh token, a grant code or the client secret in plaintext', async () => {
    c = await connectedApp(sb, kind);
    await expireStoredAccessToken(c.app, c.connectionId);
    await c.app.deps.api.currentUser(c.source);
    // A second connect attempt left pending: its state and PKCE verifier are stored too.
    await c.session.get('/integrations/zoho/connect');
    expect(c.app.issuedTokens.length).toBeGreaterThanOrEqual(3);

    const dump = await dumpAllTables(c.app.db);
    for (const token of c.app.issuedTokens) expect(dump).not.toContain(token);
    expect(dump).not.toContain(c.app.client.clientSecret);
    expect(dump).not.toMatch(zohoTokenPattern);
    // What is there is sealed: version, key id, IV, ciphertext.
    expect(dump).toMatch(/"refresh_token":"v1\.test1\.[\w-]+\.[\w-]+"/);
  });
});
