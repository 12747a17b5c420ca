import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { createVault, formatVaultKey, newVaultKey } from '../crypto/vault.ts';
import { openDatabase } from '../db/open.ts';
import type { Queryable } from '../db/port.ts';
import { loadOrCreateLocalSecrets } from '../local-secrets.ts';
import { seedDemoWorkspace } from '../workspaces/demo.ts';
import { ensureConnection, readTokens, saveTokens } from './repo.ts';
import { resealAll } from './reseal.ts';

const run = promisify(execFile);

async function storeTokens(db: Queryable, seal: (v: string, ctx: string) => string) {
  const conn = await ensureConnection(db, 'ws_demo', 'usr_alex');
  await saveTokens(db, {
    connectionId: conn.id,
    workspaceId: 'ws_demo',
    refreshToken: seal('refresh-plain', conn.id),
    accessToken: seal('access-plain', conn.id),
    accessExpiresAt: new Date(Date.now() + 3600_000),
  });
  return conn.id;
}

describe.each(databaseKinds)('re-encrypting tokens under a new key on %s', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('reseals every value under the first key; the old key is then no longer needed', async () => {
    t = await freshDatabase(kind);
    await seedDemoWorkspace(t.db);
    const oldKey = newVaultKey('old');
    const newKey = newVaultKey('new');
    const id = await storeTokens(t.db, createVault([oldKey]).seal);

    const rotated = createVault([newKey, oldKey]);
    expect(await resealAll(t.db, rotated)).toEqual({ resealed: 2, current: 0 });
    expect(await resealAll(t.db, rotated)).toEqual({ resealed: 0, current: 2 });

    const row = (await readTokens(t.db, 'ws_demo', id))!;
    const onlyNew = createVault([newKey]);
    expect(onlyNew.open(row.refreshToken, id)).toBe('refresh-plain');
    expect(onlyNew.open(row.accessToken!, id)).toBe('access-plain');
  });

  it('changes nothing when a value cannot be opened with any configured key', async () => {
    t = await freshDatabase(kind);
    await seedDemoWorkspace(t.db);
    const lost = newVaultKey('lost');
    const id = await storeTokens(t.db, createVault([lost]).seal);
    const before = await readTokens(t.db, 'ws_demo', id);
    await expect(resealAll(t.db, createVault([newVaultKey('new')]))).rejects.toThrow(/not configured/);
    expect(await readTokens(t.db, 'ws_demo', id)).toEqual(before);
  });
});

describe('npm run keys -- rotate', () => {
  it('moves a sandbox-mode data folder from its generated key to a configured one', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepo-keys-'));
    try {
      const local = loadOrCreateLocalSecrets(dataDir).tokenKey;
      const db = await openDatabase({ database: { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') } });
      await seedDemoWorkspace(db);
      const id = await storeTokens(db, createVault([local]).seal);
      await db.close();

      const configured = newVaultKey('prod1');
      const { stdout } = await run(process.execPath, ['src/cli/keys.ts', 'rotate'], {
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          DATABASE_URL: '',
          TOKEN_ENCRYPTION_KEYS: formatVaultKey(configured),
        },
      });
      expect(stdout).toContain('Re-encrypted 2 value(s) under key "prod1"');

      const after = await openDatabase({
        database: { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
      });
      const row = (await readTokens(after, 'ws_demo', id))!;
      await after.close();
      expect(createVault([configured]).open(row.refreshToken, id)).toBe('refresh-plain');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
