import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPglite } from './pglite.ts';

describe('embedded PGlite data folder', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pglite-'));
    dirs.push(d);
    return d;
  };

  it('refuses a second opener while the first holds it, and keeps data across reopen', async () => {
    const dir = tmp();
    const first = await openPglite({ dataDir: dir });
    await first.query('CREATE TABLE t (v text)');
    await first.query('INSERT INTO t VALUES ($1)', ['kept']);
    await expect(openPglite({ dataDir: dir })).rejects.toThrow(/in use by process/);
    await first.close();
    const again = await openPglite({ dataDir: dir });
    const rows = await again.query<{ v: string }>('SELECT v FROM t');
    expect(rows.rows).toEqual([{ v: 'kept' }]);
    await again.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, '.lock'), '999999999');
    const db = await openPglite({ dataDir: dir });
    expect(fs.readFileSync(path.join(dir, '.lock'), 'utf8')).toBe(String(process.pid));
    await db.close();
    expect(fs.existsSync(path.join(dir, '.lock'))).toBe(false);
  });

  /** Every entry under `root` that group or others can reach, with its mode. */
  const openToOthers = (root: string) =>
    [root, ...(fs.readdirSync(root, { recursive: true }) as string[]).map((p) => path.join(root, p))]
      .map((p) => ({ p: path.relative(root, p) || '.', mode: fs.lstatSync(p).mode & 0o777 }))
      .filter((e) => (e.mode & 0o077) !== 0)
      .map((e) => `${e.p} ${e.mode.toString(8)}`);

  // PGlite creates its files itself with explicit modes (0666 for the cluster initdb made, 0644
  // for files it writes later), whatever the process umask: the folder is closed on every open.
  it('M3: keeps its data folder owner-only (0700 folders, 0600 files) through open, writes and close', async () => {
    const dir = path.join(tmp(), 'pglite');
    const db = await openPglite({ dataDir: dir });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(openToOthers(dir)).toEqual([]);
    await db.query('CREATE TABLE meeting (transcript text)');
    await db.query('INSERT INTO meeting SELECT $1 || g FROM generate_series(1, 2000) g', ['We discussed ']);
    await db.query('CHECKPOINT');
    await db.close();
    expect(openToOthers(dir)).toEqual([]);
  });

  it('M3: closes a data folder an earlier version left open to other users', async () => {
    const dir = path.join(tmp(), 'pglite');
    await (await openPglite({ dataDir: dir })).close();
    for (const p of fs.readdirSync(dir, { recursive: true }) as string[]) {
      const full = path.join(dir, p);
      fs.chmodSync(full, fs.statSync(full).isDirectory() ? 0o777 : 0o666);
    }
    fs.chmodSync(dir, 0o777);
    const db = await openPglite({ dataDir: dir });
    expect(openToOthers(dir)).toEqual([]);
    await db.close();
  });
});
