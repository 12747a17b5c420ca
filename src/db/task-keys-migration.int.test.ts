import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { migrate, readMigrations } from './migrate.ts';

/**
 * Migration 0010: Task references and claims keyed by the Zoho record they were made on move to
 * the attendee's address, so a record Zoho converts or merges (carrying its Tasks over) still
 * finds them.
 */
describe.each(databaseKinds)('migration 0010 (task keys by address) on %s', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('rewrites each old task key and claim to the address of the person reference naming its record', async () => {
    t = await freshDatabase(kind, { migrate: false });
    const all = await readMigrations();
    await migrate(
      t.db,
      all.filter((m) => m.version < '0010'),
    );
    const q = (sql: string, values: unknown[] = []) => t!.db.query(sql, values);
    await q(`INSERT INTO workspaces (id, name) VALUES ('ws_1', 'One')`);
    await q(
      `INSERT INTO users (id, workspace_id, email, name, role) VALUES ('usr_1', 'ws_1', 'u@x.co', 'U', 'admin')`,
    );
    await q(
      `INSERT INTO connections (id, workspace_id, user_id, status) VALUES ('con_1', 'ws_1', 'usr_1', 'connected')`,
    );
    const words = 'a'.repeat(32);
    const other = 'b'.repeat(32);
    const ref = (kindName: string, key: string, module: string, id: string) =>
      q(
        `INSERT INTO sync_refs (connection_id, workspace_id, kind, key, module, zoho_id) VALUES ('con_1', 'ws_1', $1, $2, $3, $4)`,
        [kindName, key, module, id],
      );
    await ref('person', 'ada@x.co', 'Leads', '5725767000000000001');
    await ref('task', `task:bk_1:5725767000000000001:${words}`, 'Tasks', '5725767000000000101');
    await ref('task', `task:bk:with:colons:5725767000000000001:${other}`, 'Tasks', '5725767000000000102');
    // A record no person reference names any more stays as it was: nothing to map it to.
    await ref('task', `task:bk_2:5725767000000000999:${words}`, 'Tasks', '5725767000000000103');
    await q(
      `INSERT INTO sync_claims (connection_id, kind, key, holder, sent_at) VALUES ('con_1', 'task', $1, 'evt_1', now())`,
      [`task:bk_3:5725767000000000001:${words}`],
    );

    expect(await migrate(t.db)).toEqual(all.filter((m) => m.version >= '0010').map((m) => m.name));

    const keys = await q(`SELECT key FROM sync_refs WHERE kind = 'task' ORDER BY zoho_id`);
    expect(keys.rows.map((r) => (r as { key: string }).key)).toEqual([
      `task:bk_1:ada@x.co:${words}`,
      `task:bk:with:colons:ada@x.co:${other}`,
      `task:bk_2:5725767000000000999:${words}`,
    ]);
    const claims = await q(`SELECT key, sent_at IS NOT NULL AS sent FROM sync_claims`);
    expect(claims.rows).toEqual([{ key: `task:bk_3:ada@x.co:${words}`, sent: true }]);
    const person = await q(`SELECT key, zoho_id FROM sync_refs WHERE kind = 'person'`);
    expect(person.rows).toEqual([{ key: 'ada@x.co', zoho_id: '5725767000000000001' }]);
  });
});
