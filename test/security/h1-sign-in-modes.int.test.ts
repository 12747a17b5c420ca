import { afterEach, describe, expect, it } from 'vitest';
import { signHandoff } from '../../src/users/handoff.ts';
import { otherAdmin, otherWorkspace, startTestApp, type TestApp } from '../helpers/app.ts';
import { manualClock } from '../helpers/connect-steps.ts';
import { type DatabaseKind, databaseKinds } from '../helpers/db.ts';
import { useSandbox } from '../helpers/sandbox.ts';
import {
  handoffClaims,
  handoffPath,
  handoffSecret,
  processTimeout,
  raw,
  type ServiceProcess,
  setsSession,
  signedInAs,
  startService,
} from './auth-helpers.ts';

/**
 * H1: a production-like start signed anyone in as anyone. With ZOHO_SANDBOX_URL set (the scaled
 * shape on the sandbox) the service thought it was in sandbox mode, even with AUTH_HANDOFF_SECRET
 * and a Zoho client: /signin listed every user of every workspace and `POST /signin` with a
 * workspace and user id signed in as any of them. Demo sign-in now exists only in the embedded
 * sandbox demo, and then only for the demo workspace's users; anything else is handoff-only.
 */
const sb = useSandbox();
const secret = handoffSecret();

/** Every way `POST /signin` could be asked to sign someone in, and whether the shape allows it. */
const demoAlex = { workspace_id: 'ws_demo', user_id: 'usr_alex' };
const olga = { workspace_id: otherWorkspace.id, user_id: otherAdmin.id };
const nora = { workspace_id: 'ws_acme', user_id: 'usr_nora_h1' };

describe.each(databaseKinds)('H1: sign-in modes of the web app on %s', (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  /** Puts Nora, a user the platform signed in by handoff, into the database. */
  async function withHandoffUser(a: TestApp) {
    await a.db.query(`INSERT INTO workspaces (id, name) VALUES ('ws_acme', 'Acme Scheduling')`);
    await a.db.query(
      `INSERT INTO users (id, workspace_id, email, name, role)
       VALUES ('usr_nora_h1', 'ws_acme', 'nora@acme.test', 'Nora Handoff', 'admin')`,
    );
  }

  const shapes: Array<{
    name: string;
    options: Partial<Parameters<typeof startTestApp>[0]>;
    listed: string[];
    allowed: Array<typeof demoAlex>;
  }> = [
    {
      name: 'the embedded demo (no Zoho client, no handoff secret)',
      options: {},
      listed: ['Alex Morgan', 'Sam Rivera'],
      allowed: [demoAlex],
    },
    {
      name: 'the sandbox with a handoff secret',
      options: { handoffSecret: secret },
      listed: [],
      allowed: [],
    },
    {
      name: 'a real Zoho client with a handoff secret',
      options: { sandboxMode: false, handoffSecret: secret },
      listed: [],
      allowed: [],
    },
    {
      name: 'a Zoho client without a handoff secret',
      options: { sandboxMode: false },
      listed: [],
      allowed: [],
    },
  ];

  it.each(shapes)('$name: /signin lists only $listed and signs in only those', async (shape) => {
    app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base, ...shape.options });
    await withHandoffUser(app);

    const page = await raw(`${app.url}/signin`);
    expect(page.status).toBe(200);
    for (const name of ['Alex Morgan', 'Sam Rivera', otherAdmin.name, 'Nora Handoff'])
      expect(page.text.includes(name), name).toBe(shape.listed.includes(name));
    expect(page.text.includes('id="demo-users"')).toBe(shape.listed.length > 0);

    for (const form of [demoAlex, olga, nora]) {
      const res = await raw(`${app.url}/signin`, { method: 'POST', form });
      const allowed = shape.allowed.includes(form);
      expect(setsSession(res), `${form.user_id} signed in`).toBe(allowed);
      expect(res.status, form.user_id).toBe(allowed ? 303 : shape.listed.length ? 400 : 404);
    }
  });

  it('the demo refuses a user of the demo workspace named with another workspace', async () => {
    app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base });
    const res = await raw(`${app.url}/signin`, {
      method: 'POST',
      form: { workspace_id: otherWorkspace.id, user_id: 'usr_alex' },
    });
    expect(res.status).toBe(400);
    expect(setsSession(res)).toBe(false);
  });
});

/**
 * The shapes as `npm start` / `npm run web` build them from the environment: what the review
 * attacked. Nora signs in by handoff (a real user of the platform), then an anonymous visitor
 * tries the demo sign-in with her ids.
 */
describe('H1: the service started with ZOHO_SANDBOX_URL', () => {
  let service: ServiceProcess | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  const sandboxShape = () => ({
    ZOHO_SANDBOX_URL: sb.base,
    ZOHO_CLIENT_ID: '1000.H1TESTCLIENT',
    ZOHO_CLIENT_SECRET: 'h1-test-client-secret',
  });

  it.each([
    ['all', 'pglite'],
    ['web', 'postgres'],
  ] as Array<['all' | 'web', DatabaseKind]>)(
    'npm %s on %s with AUTH_HANDOFF_SECRET: handoff only, no user listed, no demo sign-in',
    { timeout: processTimeout },
    async (role, kind) => {
      service = await startService({ role, kind, env: { ...sandboxShape(), AUTH_HANDOFF_SECRET: secret } });
      const clock = manualClock();
      const claims = handoffClaims(clock);
      const handoff = await raw(`${service.url}${handoffPath(signHandoff(secret, claims))}`);
      expect(handoff.status).toBe(303);
      expect(setsSession(handoff)).toBe(true);

      const page = await raw(`${service.url}/signin`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(claims.user.name);
      expect(page.text).not.toContain('id="demo-users"');
      expect(page.text).toContain('Sign in through PepoSmart');

      const forged = await raw(`${service.url}/signin`, {
        method: 'POST',
        form: { workspace_id: claims.workspace.id, user_id: claims.user.id },
      });
      expect(forged.status).toBe(404);
      expect(setsSession(forged)).toBe(false);
      expect(service.sink.out).toContain('Sign-in: through the scheduling platform (/auth/handoff)');
    },
  );

  it('npm run web without AUTH_HANDOFF_SECRET says at start that no one can sign in, and no one can', {
    timeout: processTimeout,
  }, async () => {
    service = await startService({ role: 'web', kind: 'postgres', env: sandboxShape() });
    expect(service.sink.out).toMatch(/Sign-in: none.*set AUTH_HANDOFF_SECRET/);
    expect(service.sink.out).toMatch(/"level":40.*no one can sign in: set AUTH_HANDOFF_SECRET/);

    const page = await raw(`${service.url}/signin`);
    expect(page.text).not.toContain('id="demo-users"');
    expect(page.text).toContain('Sign-in is not set up on this server');
    const forged = await raw(`${service.url}/signin`, { method: 'POST', form: demoAlex });
    expect(forged.status).toBe(404);
    expect(setsSession(forged)).toBe(false);
    const handoff = await raw(
      `${service.url}${handoffPath(signHandoff(secret, handoffClaims(manualClock())))}`,
    );
    expect(handoff.status).toBe(404);
    expect(signedInAs((await raw(`${service.url}/integrations`)).text)).toBeUndefined();
  });
});
