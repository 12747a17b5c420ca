import { afterEach, describe, expect, it } from 'vitest';
import { describeProblem } from '../../src/connections/problems.ts';
import { startTestApp, type TestApp, zohoEmail } from '../helpers/app.ts';
import { expectProblemOnCard } from '../helpers/connect-steps.ts';
import { databaseKinds } from '../helpers/db.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Zoho issues at most 10 grant codes per client in ten minutes (ZOHO-API.md §8); the 11th
 * consent comes back as `error=access_denied`, exactly like a Deny. The card cannot tell them
 * apart, so it names both causes and what to do for each.
 */
const sb = useSandbox();

describe.each(databaseKinds)('Zoho’s grant-code limit, on %s', (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('the 11th connect within ten minutes is refused by Zoho, and the card says Zoho may be limiting sign-ins', async () => {
    app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base });
    const org = await sb.client.createOrg();
    const session = await app.signIn('usr_alex');
    for (let i = 0; i < 10; i++)
      expect((await session.connect(sb.base, zohoEmail(org))).location?.search).toBe('?done=connected');
    // Refused while connected: the grant the connection has still works, so the card keeps no
    // problem; the page says once what may have happened.
    const eleventh = await session.connect(sb.base, zohoEmail(org));
    expect(eleventh.location?.search).toBe('?failed=denied_kept');
    const once = await session.get(`/integrations${eleventh.location!.search}`);
    expect(once.html).toContain('id="zoho-status">Connected</span>');
    expect(once.html).toContain('or Zoho is limiting sign-ins');
    expect(describeProblem('denied_kept').check).toContain('wait ten minutes first');
    // Not connected any more: the refusal is the card's problem.
    await session.post('/integrations/zoho/disconnect');
    const twelfth = await session.connect(sb.base, zohoEmail(org));
    expect(twelfth.location?.pathname).toBe('/integrations');
    await expectProblemOnCard(session, 'denied');
    expect(describeProblem('denied').title).toContain('Zoho is limiting sign-ins');
    expect(describeProblem('denied').check).toContain('wait ten minutes, then connect again');
  });
});
