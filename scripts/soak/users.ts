import crypto from 'node:crypto';
import { signHandoff } from '../../src/users/handoff.ts';
import { authorize, CookieBrowser } from '../../test/helpers/oauth-flow.ts';
import type { SandboxAdmin, SandboxOrg } from './admin.ts';

/**
 * The soak's users: each a PepoSmart user of one workspace, signed in the way the platform
 * signs people in (a handoff token made with AUTH_HANDOFF_SECRET), who connects their own
 * sandbox org through the real OAuth flow over HTTP, as a person with a browser would.
 */
export const SOAK_WORKSPACE = { id: 'ws_soak', name: 'Soak Workspace' };

export interface SoakUser {
  id: string;
  email: string;
  name: string;
  orgId: string;
}

export interface ConnectInput {
  appUrl: string;
  sandboxBase: string;
  admin: SandboxAdmin;
  handoffSecret: string;
  count: number;
  label: string;
}

export async function connectUsers(input: ConnectInput): Promise<SoakUser[]> {
  const users: SoakUser[] = [];
  for (let i = 1; i <= input.count; i++) {
    const org = await createOrg(input.admin, input.label, i);
    const user = {
      id: `usr_soak_${i}`,
      email: `host${i}@soak.peposmart.test`,
      name: `Host Number${i}`,
      orgId: org.org_id,
    };
    await connect(input, user, org.users[0]!.email);
    users.push(user);
  }
  return users;
}

/** Orgs alternate US and EU, Enterprise (20 calls at once) and Professional (15). */
function createOrg(admin: SandboxAdmin, label: string, i: number): Promise<SandboxOrg> {
  const tag = crypto.randomBytes(3).toString('hex');
  return admin.call<SandboxOrg>('POST', '/orgs', {
    name: `Soak ${label} ${i}`,
    edition: i % 2 ? 'enterprise' : 'professional',
    data_center: i % 2 ? 'us' : 'eu',
    latency_ms: 15,
    users: [
      {
        email: `admin.${label}.${i}.${tag}@soak-org${i}.example`,
        first_name: 'Org',
        last_name: `Admin${i}`,
        profile: 'Administrator',
      },
    ],
  });
}

function handoffToken(secret: string, user: Omit<SoakUser, 'orgId'>): string {
  const now = Math.floor(Date.now() / 1000);
  return signHandoff(secret, {
    jti: crypto.randomBytes(12).toString('hex'),
    iat: now,
    exp: now + 120,
    workspace: SOAK_WORKSPACE,
    user: { id: user.id, email: user.email, name: user.name, role: 'member' },
  });
}

async function connect(input: ConnectInput, user: SoakUser, zohoEmail: string): Promise<void> {
  const browser = new CookieBrowser();
  const token = handoffToken(input.handoffSecret, user);
  const signedIn = await browser.get(`${input.appUrl}/auth/handoff?token=${encodeURIComponent(token)}`);
  if (signedIn.status !== 303) throw new Error(`handoff sign-in of ${user.id}: ${signedIn.status}`);
  const start = await browser.get(`${input.appUrl}/integrations/zoho/connect`);
  if (!start.location) throw new Error(`connect did not redirect: ${start.status}`);
  const back = await authorize(input.sandboxBase, Object.fromEntries(start.location.searchParams), zohoEmail);
  const done = await browser.get(back.toString());
  if (done.location?.search !== '?done=connected')
    throw new Error(`connect of ${user.id} failed: ${done.status} ${done.location}`);
}
