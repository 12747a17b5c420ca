import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForOutput } from '../helpers/processes.ts';
import { type CreatedOrg, SandboxClient, type Tokens } from '../helpers/sandbox.ts';

/**
 * R1 (issue 12): the sandbox answered writes before saving them (a 50 ms timer), so a SIGKILL
 * of `npm start` lost records "Zoho" had already acknowledged and the demo's Zoho drifted from
 * the app's references. Each round kills `npm run sandbox` the moment its last write is
 * answered; after every restart on the same data folder, everything it acknowledged is there.
 */
interface Running {
  child: ChildProcess;
  base: string;
}

async function start(dir: string): Promise<Running> {
  const child = spawn(process.execPath, ['sandbox/main.ts'], {
    env: { ...process.env, DATA_DIR: dir, ZOHO_SANDBOX_PORT: '0', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = await waitForOutput(child, /State kept in/, { out: '' });
  return { child, base: /listening on (http:\/\/\S+)/.exec(out)![1]! };
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exited;
}

describe('R1: the sandbox keeps every write it acknowledged through a SIGKILL', () => {
  let running: Running | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    if (running) await kill(running.child, 'SIGTERM');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps Contacts and Notes answered just before the kill, round after round', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zsb-r1-'));
    running = await start(dir);
    let client = new SandboxClient(running.base);
    const org: CreatedOrg = await client.createOrg({ name: 'Kill Ltd' });
    const tokens: Tokens = await client.tokens(org);
    const acknowledged = { Contacts: [] as string[], Notes: [] as string[] };

    for (let round = 1; round <= 3; round++) {
      const api = { ...tokens, api_domain: `${running.base}/us/api` };
      for (let i = 1; i <= 5; i++) {
        const contact = await client.api(api, 'POST', '/Contacts', {
          data: [{ Last_Name: `Kill ${round}.${i}`, Email: `kill.${round}.${i}@example.com` }],
        });
        expect(contact.status).toBe(201);
        const contactId: string = contact.body.data[0].details.id;
        acknowledged.Contacts.push(contactId);
        const note = await client.api(api, 'POST', `/Contacts/${contactId}/Notes`, {
          data: [{ Note_Title: `Meeting ${round}.${i}`, Note_Content: 'Discussed pricing.' }],
        });
        expect(note.status).toBe(201);
        acknowledged.Notes.push(note.body.data[0].details.id);
      }
      // The moment the last write is answered: nothing has had time to be saved after it.
      await kill(running.child, 'SIGKILL');

      running = await start(dir);
      client = new SandboxClient(running.base);
      for (const module of ['Contacts', 'Notes'] as const) {
        const kept = new Set((await client.records(org, module)).map((r: { id: string }) => r.id));
        expect(
          acknowledged[module].filter((id) => !kept.has(id)),
          `${module} acknowledged before kill ${round} but lost`,
        ).toEqual([]);
      }
      // The token the app holds still works after the restart.
      const again = await client.api(
        { ...tokens, api_domain: `${running.base}/us/api` },
        'GET',
        `/Contacts/${acknowledged.Contacts.at(-1)}`,
      );
      expect(again.status).toBe(200);
    }
  });
});
