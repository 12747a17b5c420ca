import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox } from '../../sandbox/app.ts';
import { SandboxClient } from '../helpers/sandbox.ts';

/**
 * L7 (issue 12): the sandbox's state files hold OAuth client secrets and its cookie secret;
 * they were written 0644 in a 0755 folder. Here the sandbox runs inside the test process,
 * whose umask is whatever the shell gave it (022 usually): the modes must come from the
 * sandbox itself.
 */
const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

describe('L7: the sandbox state is owner-only', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function stateFiles(dir: string): string[] {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  }

  it('writes its state files 0600 in a 0700 folder', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zsb-l7-'));
    dirs.push(root);
    const dir = path.join(root, 'sandbox');
    const sandbox = await createSandbox({
      dataDir: dir,
      defaultClient: { name: 'PepoSmart', redirect_uris: ['http://127.0.0.1:3000/cb'] },
    });
    const client = new SandboxClient(await sandbox.listen(0));
    const org = await client.createOrg();
    await client.api(await client.tokens(org), 'POST', '/Contacts', { data: [{ Last_Name: 'Kept' }] });
    await sandbox.close();
    expect(modeOf(dir)).toBe(0o700);
    expect(stateFiles(dir).length).toBeGreaterThan(0);
    for (const f of stateFiles(dir)) expect(modeOf(path.join(dir, f)), f).toBe(0o600);
  });

  it('closes a state file and folder an earlier version left readable', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zsb-l7-'));
    dirs.push(root);
    const dir = path.join(root, 'sandbox');
    await (await createSandbox({ dataDir: dir })).close();
    fs.chmodSync(dir, 0o755);
    for (const f of stateFiles(dir)) fs.chmodSync(path.join(dir, f), 0o644);
    const again = await createSandbox({ dataDir: dir });
    expect(modeOf(dir)).toBe(0o700);
    for (const f of stateFiles(dir)) expect(modeOf(path.join(dir, f)), f).toBe(0o600);
    await again.close();
  });
});
