import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxClient } from '../test/helpers/sandbox.ts';
import { createSandbox } from './app.ts';
import { loadState } from './state.ts';

/**
 * Issue 13: a record write answered by the sandbox is appended to its org's journal instead of
 * rewriting the org's file and the state file. What a kill leaves is read back whole: the data
 * folder is copied while the sandbox still runs (as a SIGKILL would leave it: nothing saved at
 * close) and a second sandbox opened on the copy.
 */
describe('sandbox journal of record writes', () => {
  const dirs: string[] = [];
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zsb-j-'));
    dirs.push(dir);
    return dir;
  };
  const records = (dir: string) => path.join(dir, 'zoho-sandbox-records');
  /** The data folder as a kill would leave it now: a copy, opened by a new sandbox. */
  async function afterKill(dir: string) {
    const copy = tempDir();
    fs.cpSync(dir, copy, { recursive: true });
    const again = await createSandbox({ dataDir: copy });
    open.push(again);
    const base = await again.listen(0);
    return { client: new SandboxClient(base), dir: copy, base };
  }
  async function started() {
    const dir = tempDir();
    const sandbox = await createSandbox({ dataDir: dir });
    open.push(sandbox);
    const client = new SandboxClient(await sandbox.listen(0));
    const org = await client.createOrg({ name: 'Journal Ltd' });
    const tokens = await client.tokens(org);
    return { dir, client, org, tokens, sandbox };
  }
  const lastNames = async (client: SandboxClient, org: { org_id: string }) =>
    (await client.records(org, 'Contacts')).map((r) => String(r['Last_Name'])).sort();

  it('appends inserts and updates to the journal, leaving the snapshot and the state file as they were, and reads them back after a kill', async () => {
    const { dir, client, org, tokens } = await started();
    const first = await client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Ada' }] });
    expect(first.status).toBe(201);
    const snapshot = path.join(records(dir), `${org.org_id}.json`);
    const stateFile = path.join(dir, 'zoho-sandbox.json');
    const before = { snapshot: fs.statSync(snapshot).mtimeMs, state: fs.statSync(stateFile).mtimeMs };
    const id = first.body.data[0].details.id as string;
    expect((await client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Bea' }] })).status).toBe(
      201,
    );
    const updated = await client.api(tokens, 'PUT', '/Contacts', {
      data: [{ id, Last_Name: 'Ada Lovelace' }],
    });
    expect(updated.status).toBe(200);
    expect(fs.statSync(snapshot).mtimeMs).toBe(before.snapshot);
    expect(fs.statSync(stateFile).mtimeMs).toBe(before.state);
    const journal = fs.readdirSync(records(dir)).filter((n) => n.endsWith('.jsonl'));
    expect(journal).toHaveLength(1);
    expect(fs.statSync(path.join(records(dir), journal[0]!)).mode & 0o777).toBe(0o600);

    const { client: again, base } = await afterKill(dir);
    expect(await lastNames(again, org)).toEqual(['Ada Lovelace', 'Bea']);
    // The id sequence went on past the journal's records: a new record gets an id of its own.
    // (The same tokens: the port differs after a restart, and the API domain follows it.)
    const moved = { ...tokens, api_domain: tokens.api_domain.replace(/^http:\/\/[^/]+/, base) };
    const next = await again.api(moved, 'POST', '/Contacts', { data: [{ Last_Name: 'Cy' }] });
    expect(next.status).toBe(201);
    const ids = (await again.records(org, 'Contacts')).map((r) => String(r['id']));
    expect(new Set(ids).size).toBe(3);
  });

  it('appends calls and credits to the usage journal, and reads them back after a kill', async () => {
    const { dir, client, org, tokens, sandbox } = await started();
    const usageFile = path.join(dir, 'zoho-sandbox-usage.json');
    const calls = async (c: SandboxClient) =>
      (await c.json('GET', `/__sandbox/orgs/${org.org_id}/calls`)).body.calls as unknown[];
    // The first save of the usage writes it whole.
    expect((await client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Ada' }] })).status).toBe(
      201,
    );
    await expect.poll(() => fs.existsSync(usageFile), { timeout: 10_000 }).toBe(true);
    const written = fs.statSync(usageFile).mtimeMs;
    for (const name of ['Bea', 'Cy', 'Dee'])
      expect((await client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: name }] })).status).toBe(
        201,
      );
    const live = await calls(client);
    const counts = (await client.json('GET', `/__sandbox/orgs/${org.org_id}/calls/count`)).body;
    // Saved within a moment (R1: the log may lose its last moment to a kill, never a record).
    await expect
      .poll(
        async () => {
          const { client: again } = await afterKill(dir);
          return (await calls(again)).length;
        },
        { timeout: 10_000 },
      )
      .toBe(live.length);
    expect(fs.statSync(usageFile).mtimeMs).toBe(written);
    expect(fs.readdirSync(dir).filter((n) => /-usage\.\d+\.jsonl$/.test(n))).toHaveLength(1);
    const { client: again, dir: copy } = await afterKill(dir);
    expect(await calls(again)).toEqual(live);
    expect((await again.json('GET', `/__sandbox/orgs/${org.org_id}/calls/count`)).body).toEqual(counts);
    const credits = sandbox.core.state.credits[org.org_id];
    expect(credits?.length).toBeGreaterThan(0);
    expect(loadState(path.join(copy, 'zoho-sandbox.json'))?.credits[org.org_id]).toEqual(credits);
  });

  it('leaves out a last line cut short by a kill, and ignores a journal no snapshot names', async () => {
    const { dir, client, org, tokens } = await started();
    expect((await client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Ada' }] })).status).toBe(
      201,
    );
    const [name] = fs.readdirSync(records(dir)).filter((n) => n.endsWith('.jsonl'));
    const journal = path.join(records(dir), name!);
    // A write the kill cut short (its answer never went).
    fs.appendFileSync(journal, '{"seq":99999,"put":["Contacts","1","rec');
    // A journal of an older generation (a kill between a snapshot and removing its journal).
    const gen = Number(/\.(\d+)\.jsonl$/.exec(name!)![1]);
    const older = journal.replace(`.${gen}.jsonl`, `.${gen - 1}.jsonl`);
    fs.writeFileSync(
      older,
      `${JSON.stringify({ seq: 5, put: ['Contacts', 'x1', { id: 'x1', fields: { Last_Name: 'Ghost' }, created_ms: 0, modified_ms: 0, searchable_ms: 0 }] })}\n`,
    );
    const { client: again, dir: copy } = await afterKill(dir);
    expect(await lastNames(again, org)).toEqual(['Ada']);
    // The next snapshot of every org (here a change to the orgs' settings) removes it.
    await again.json('PATCH', `/__sandbox/orgs/${org.org_id}`, { latency_ms: 1 });
    expect(fs.readdirSync(records(copy)).filter((n) => n.endsWith(`.${gen - 1}.jsonl`))).toEqual([]);
  });

  it('replaces a journal grown past its snapshot with a new snapshot', async () => {
    const { dir, client, org, tokens } = await started();
    const jsonl = () => fs.readdirSync(records(dir)).filter((n) => n.endsWith('.jsonl'));
    const batch = (round: number) =>
      Array.from({ length: 100 }, (_, i) => ({
        Last_Name: `Person ${round}-${i}`,
        Description: 'x'.repeat(400),
      }));
    let snapshots = 0;
    let name = '';
    for (let round = 0; round < 12; round++) {
      expect((await client.api(tokens, 'POST', '/Contacts', { data: batch(round) })).status).toBe(201);
      const [now] = jsonl();
      if (now !== name) snapshots++;
      name = now ?? '';
    }
    // More than 256 KB of lines: at least one new generation (a new snapshot) along the way.
    expect(snapshots).toBeGreaterThanOrEqual(2);
    expect(jsonl().length).toBeLessThanOrEqual(1);
    const { client: again } = await afterKill(dir);
    expect(await again.records(org, 'Contacts')).toHaveLength(1_200);
  });

  it('after a line cut short, the next write goes to a new snapshot: a second restart reads every write', async () => {
    const { dir, client, org, tokens } = await started();
    expect((await client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Ada' }] })).status).toBe(
      201,
    );
    const [name] = fs.readdirSync(records(dir)).filter((n) => n.endsWith('.jsonl'));
    fs.appendFileSync(path.join(records(dir), name!), '{"seq":99999,"put":["Contacts","1","rec');
    const second = await afterKill(dir);
    const moved = { ...tokens, api_domain: tokens.api_domain.replace(/^http:\/\/[^/]+/, second.base) };
    expect(
      (await second.client.api(moved, 'POST', '/Contacts', { data: [{ Last_Name: 'Bea' }] })).status,
    ).toBe(201);
    const third = await afterKill(second.dir);
    expect(await lastNames(third.client, org)).toEqual(['Ada', 'Bea']);
  });

  it('a reset leaves nothing of the journals before it to come back after a kill', async () => {
    const { dir, client, tokens, org } = await started();
    expect((await client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Old' }] })).status).toBe(
      201,
    );
    // Calls in the usage journal too (its first save writes the file whole; the next ones append).
    await expect
      .poll(() => fs.existsSync(path.join(dir, 'zoho-sandbox-usage.json')), { timeout: 10_000 })
      .toBe(true);
    expect((await client.api(tokens, 'GET', '/Contacts?fields=Last_Name')).status).toBe(200);
    await expect
      .poll(() => fs.readdirSync(dir).some((n) => /-usage\.\d+\.jsonl$/.test(n)), { timeout: 10_000 })
      .toBe(true);
    expect((await client.json('POST', '/__sandbox/reset')).status).toBeLessThan(300);
    // The ids start again: a new org may take the old one's id.
    const fresh = await client.createOrg({ name: 'Journal Ltd' });
    const { client: again } = await afterKill(dir);
    for (const o of new Set([org.org_id, fresh.org_id])) {
      const listed = await again.json('GET', `/__sandbox/orgs/${o}/records?module=Contacts`);
      expect(listed.status === 404 || (listed.body.records?.Contacts ?? []).length === 0).toBe(true);
      const calls = await again.json('GET', `/__sandbox/orgs/${o}/calls`);
      expect(calls.status === 404 || calls.body.calls.length === 0).toBe(true);
    }
  });
});
