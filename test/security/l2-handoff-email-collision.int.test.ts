import { afterEach, describe, expect, it } from 'vitest';
import { signHandoff } from '../../src/users/handoff.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { manualClock } from '../helpers/connect-steps.ts';
import { databaseKinds } from '../helpers/db.ts';
import { useSandbox } from '../helpers/sandbox.ts';
import { handoffClaims, handoffPath, handoffSecret, raw, setsSession } from './auth-helpers.ts';

/**
 * L2: a handoff giving a user an email another user of the workspace already has answered 500
 * (the users table keeps emails unique per workspace). Now a clear page (409) says what is wrong,
 * and nothing is written: no session, no user changed, the link not spent.
 */
const sb = useSandbox();
const secret = handoffSecret();

describe.each(databaseKinds)('L2: handoff email collisions on %s', (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const taken = { id: 'usr_first', email: 'shared@acme.test', name: 'First Holder', role: 'member' as const };

  const collisions: Array<[string, (email: string) => { id: string; email: string }]> = [
    ['a new user', (email) => ({ id: 'usr_newcomer', email })],
    ['an existing user changing their email', (email) => ({ id: 'usr_second', email })],
  ];

  it.each(collisions)(
    '%s taking another member’s email gets a 409 page, and nothing changes',
    async (_, make) => {
      const clock = manualClock();
      app = await startTestApp({
        kind,
        sandbox: sb.sandbox,
        sandboxBase: sb.base,
        clock,
        handoffSecret: secret,
      });
      const workspace = { id: 'ws_acme', name: 'Acme Scheduling' };
      for (const user of [
        taken,
        { id: 'usr_second', email: 'second@acme.test', name: 'Second Holder', role: 'member' as const },
      ])
        expect(
          (
            await raw(
              `${app.url}${handoffPath(signHandoff(secret, handoffClaims(clock, { workspace, user })))}`,
            )
          ).status,
        ).toBe(303);
      const before = (await app.db.query('SELECT * FROM users ORDER BY id')).rows;

      const claims = handoffClaims(clock, {
        workspace,
        user: { ...make(taken.email), name: 'Someone Else', role: 'admin' },
      });
      const res = await raw(`${app.url}${handoffPath(signHandoff(secret, claims))}`);

      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.text).toContain('id="signin-error"');
      expect(res.text).toContain(`Another member of Acme Scheduling already has the email ${taken.email}`);
      expect(setsSession(res)).toBe(false);
      expect((await app.db.query('SELECT * FROM users ORDER BY id')).rows).toEqual(before);
      expect((await app.db.query('SELECT 1 FROM used_handoffs WHERE jti = $1', [claims.jti])).rows).toEqual(
        [],
      );
    },
  );

  it('the same email in another workspace is no collision', async () => {
    const clock = manualClock();
    app = await startTestApp({
      kind,
      sandbox: sb.sandbox,
      sandboxBase: sb.base,
      clock,
      handoffSecret: secret,
    });
    for (const workspace of [
      { id: 'ws_acme', name: 'Acme Scheduling' },
      { id: 'ws_beta', name: 'Beta Scheduling' },
    ]) {
      const user = { ...taken, id: `usr_${workspace.id}` };
      const res = await raw(
        `${app.url}${handoffPath(signHandoff(secret, handoffClaims(clock, { workspace, user })))}`,
      );
      expect(res.status).toBe(303);
    }
  });
});
