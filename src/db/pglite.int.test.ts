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
});
