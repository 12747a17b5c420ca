import { afterEach, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../test/helpers/db.ts';
import { openPostgres } from './postgres.ts';

describe('PostgreSQL pool', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close().catch(() => {});
  });

  it('survives an idle connection the server ends (a restart, an administrator), and goes on', async () => {
    const told: string[] = [];
    const db = openPostgres({ url: testDatabaseUrl, max: 1, onIdleError: (err) => told.push(err.message) });
    closers.push(() => db.close());
    const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const admin = openPostgres({ url: testDatabaseUrl, max: 1 });
    closers.push(() => admin.close());
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await expect.poll(() => told.length, { timeout: 10_000 }).toBe(1);
    expect(told[0]).toMatch(/terminating connection/);
    expect((await db.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });
});
