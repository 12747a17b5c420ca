import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxClient } from '../test/helpers/sandbox.ts';
import { createSandbox } from './app.ts';

describe('sandbox state in a data folder', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('keeps org settings such as third_party_apps_blocked and the latency with its jitter across a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zsb-'));
    dirs.push(dir);
    const first = await createSandbox({ dataDir: dir });
    const org = await new SandboxClient(await first.listen(0)).createOrg({
      third_party_apps_blocked: true,
      latency_ms: 200,
      latency_jitter_ms: 50,
    });
    await first.close();
    const second = await createSandbox({ dataDir: dir });
    try {
      const got = await new SandboxClient(await second.listen(0)).json(
        'GET',
        `/__sandbox/orgs/${org.org_id}`,
      );
      expect(got.body).toMatchObject({
        third_party_apps_blocked: true,
        latency_ms: 200,
        latency_jitter_ms: 50,
      });
    } finally {
      await second.close();
    }
  });

  it('keeps orgs, records, clients and tokens across a restart, and stores no token in plaintext', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zsb-'));
    dirs.push(dir);
    const first = await createSandbox({ dataDir: dir });
    const client = new SandboxClient(await first.listen(0));
    const org = await client.createOrg({ name: 'Kept Ltd', data_center: 'eu' });
    const tokens = await client.tokens(org);
    const created = await client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Kept' }] });
    expect(created.status).toBe(201);
    await first.close();

    for (const file of ['zoho-sandbox.json', 'zoho-sandbox-usage.json']) {
      const saved = fs.readFileSync(path.join(dir, file), 'utf8');
      expect(saved).not.toContain(tokens.access_token);
      expect(saved).not.toContain(tokens.refresh_token!);
    }

    const second = await createSandbox({ dataDir: dir });
    const base = await second.listen(0);
    try {
      // The port may differ after a restart: the API domain follows the new base URL.
      const again = { ...tokens, api_domain: `${base}/eu/api` };
      const got = await new SandboxClient(base).api(
        again,
        'GET',
        `/Contacts/${created.body.data[0].details.id}`,
      );
      expect(got.status).toBe(200);
      expect(got.body.data[0].Last_Name).toBe('Kept');
      const refreshed = await new SandboxClient(base).form(`${base}/eu/accounts/oauth/v2/token`, {
        grant_type: 'refresh_token',
        client_id: tokens.client_id,
        client_secret: tokens.client_secret,
        refresh_token: tokens.refresh_token!,
      });
      expect(refreshed.body.access_token).toBeTruthy();
    } finally {
      await second.close();
    }
  });

  it('keeps the call log, its counts and credits across a restart in a file of their own, and reads a state saved before that file existed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zsb-'));
    dirs.push(dir);
    const first = await createSandbox({ dataDir: dir });
    const client = new SandboxClient(await first.listen(0));
    const org = await client.createOrg();
    const tokens = await client.tokens(org);
    expect((await client.api(tokens, 'GET', '/Contacts?fields=Last_Name')).status).toBe(204);
    const calls = await client.calls(org);
    expect(calls.length).toBeGreaterThan(0);
    await first.close();

    const main = JSON.parse(fs.readFileSync(path.join(dir, 'zoho-sandbox.json'), 'utf8'));
    const usage = JSON.parse(fs.readFileSync(path.join(dir, 'zoho-sandbox-usage.json'), 'utf8'));
    expect(main.calls).toBeUndefined();
    expect(main.credits).toBeUndefined();
    expect(usage.calls[org.org_id]).toHaveLength(calls.length);

    const reopened = async (read: 'log' | 'count' = 'log') => {
      const sandbox = await createSandbox({ dataDir: dir });
      try {
        const again = new SandboxClient(await sandbox.listen(0));
        if (read === 'log') return await again.calls(org);
        return (await again.json('GET', `/__sandbox/orgs/${org.org_id}/calls/count`)).body;
      } finally {
        await sandbox.close();
      }
    };
    expect(await reopened()).toEqual(calls);
    const counts = { api: { 204: 1 }, accounts: { 200: 1 } };
    expect(usage.call_counts[org.org_id]).toEqual(counts);
    expect(await reopened('count')).toEqual(counts);

    // A usage file saved before the counts existed: they start from the calls its log holds.
    fs.writeFileSync(
      path.join(dir, 'zoho-sandbox-usage.json'),
      JSON.stringify({ ...usage, call_counts: undefined }),
    );
    expect(await reopened('count')).toEqual(counts);

    // A state file written before the split carried its call log and credits itself.
    fs.writeFileSync(path.join(dir, 'zoho-sandbox.json'), JSON.stringify({ ...main, ...usage }));
    fs.rmSync(path.join(dir, 'zoho-sandbox-usage.json'));
    expect(await reopened()).toEqual(calls);
  });

  it('saves a write to one org in that org’s files only, and moves the records of a state saved before into files of their own', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zsb-'));
    dirs.push(dir);
    const records = path.join(dir, 'zoho-sandbox-records');
    const fileOf = (orgId: string) => path.join(records, `${orgId}.json`);
    // An org's snapshot and its journal (state.ts), as they stand.
    const savedOf = (orgId: string) =>
      fs
        .readdirSync(records)
        .filter((name) => name.startsWith(`${orgId}.`))
        .sort()
        .map((name) => ({ name, text: fs.readFileSync(path.join(records, name), 'utf8') }));
    const first = await createSandbox({ dataDir: dir });
    const client = new SandboxClient(await first.listen(0));
    const a = await client.createOrg({ name: 'A Ltd' });
    const b = await client.createOrg({ name: 'B Ltd' });
    const ta = await client.tokens(a);
    const tb = await client.tokens(b);
    expect((await client.api(ta, 'POST', '/Contacts', { data: [{ Last_Name: 'Ada' }] })).status).toBe(201);
    expect((await client.api(tb, 'POST', '/Contacts', { data: [{ Last_Name: 'Bea' }] })).status).toBe(201);
    const before = { files: savedOf(b.org_id), at: fs.statSync(fileOf(b.org_id)).mtimeMs };
    // A write to A, answered: A's files hold it; B's were not written again.
    expect((await client.api(ta, 'POST', '/Contacts', { data: [{ Last_Name: 'Alan' }] })).status).toBe(201);
    expect(
      savedOf(a.org_id)
        .map((f) => f.text)
        .join('\n'),
    ).toContain('Alan');
    expect(savedOf(b.org_id)).toEqual(before.files);
    expect(fs.statSync(fileOf(b.org_id)).mtimeMs).toBe(before.at);
    const main = JSON.parse(fs.readFileSync(path.join(dir, 'zoho-sandbox.json'), 'utf8'));
    expect(main.records).toBeUndefined();
    expect(main.records_apart).toBe(true);
    await first.close();

    const names = async (sandbox: Awaited<ReturnType<typeof createSandbox>>) => {
      const again = new SandboxClient(await sandbox.listen(0));
      const out: Record<string, string[]> = {};
      for (const org of [a, b])
        out[org.org_id] = (await again.records(org, 'Contacts')).map((r) => String(r['Last_Name'])).sort();
      return out;
    };
    const want = { [a.org_id]: ['Ada', 'Alan'], [b.org_id]: ['Bea'] };
    const reopened = await createSandbox({ dataDir: dir });
    expect(await names(reopened)).toEqual(want);
    await reopened.close();

    // A state file saved before records were kept apart holds every org's records itself.
    const inline = { ...main, records_apart: undefined, records: {}, removed_records: {}, workflow_runs: {} };
    for (const org of [a, b]) {
      const saved = JSON.parse(fs.readFileSync(fileOf(org.org_id), 'utf8'));
      inline.records[org.org_id] = saved.records;
    }
    fs.writeFileSync(path.join(dir, 'zoho-sandbox.json'), JSON.stringify(inline));
    fs.rmSync(records, { recursive: true });
    const old = await createSandbox({ dataDir: dir });
    expect(await names(old)).toEqual(want);
    // Its first save (here the one at close) moves them into files of their own, nothing lost.
    await old.close();
    expect(fs.existsSync(fileOf(a.org_id))).toBe(true);
    const moved = await createSandbox({ dataDir: dir });
    expect(await names(moved)).toEqual(want);
    await moved.close();
  });
});
