import crypto from 'node:crypto';
import { signHandoff } from '../../src/users/handoff.ts';
import { type Edition, editionConcurrency } from '../../src/zoho/editions.ts';
import { authorize, CookieBrowser } from '../../test/helpers/oauth-flow.ts';
import type { Cluster } from './cluster.ts';

/**
 * The bench's hosts: PepoSmart users of one workspace, each with a sandbox org of their own
 * (editions from Free to Enterprise in turn, so each has Zoho's concurrency limit for its
 * edition), signed in the way the platform signs people in (a handoff token) and connected
 * through the real OAuth flow over HTTP, as a person with a browser would.
 */
export const BENCH_WORKSPACE = { id: 'ws_bench', name: 'Bench Workspace' };

const grantCodesPerTenMinutes = 10;

/** Free … Enterprise, in turn. */
const editions: Edition[] = ['free', 'standard', 'professional', 'enterprise'];

export interface Host {
  id: string;
  email: string;
  name: string;
  orgId: string;
  edition: Edition;
  /** Calls Zoho serves at once for the org (the edition's limit). */
  concurrency: number;
}

interface SandboxOrg {
  org_id: string;
  users: Array<{ email: string }>;
  limits: { concurrency: number };
}

export async function sandboxAdmin<T>(
  cluster: Cluster,
  method: string,
  p: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${cluster.sandboxBase}/__sandbox${p}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`sandbox ${method} ${p}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export async function connectHosts(
  cluster: Cluster,
  options: { orgs: number; latencyMs: number; jitterMs: number },
): Promise<Host[]> {
  const hosts: Host[] = [];
  for (let i = 1; i <= options.orgs; i++) {
    // Zoho gives a client 10 grant codes in ten minutes (ZOHO-API.md §8), and every host
    // consents through the app's one client: ten minutes pass, on the sandbox's clock.
    if (i > 1 && (i - 1) % grantCodesPerTenMinutes === 0)
      await sandboxAdmin(cluster, 'POST', '/clock', { advance_seconds: 601 });
    const edition = editions[(i - 1) % editions.length]!;
    const tag = crypto.randomBytes(3).toString('hex');
    // The admin API of `npm run sandbox` has no sign-in: it listens on 127.0.0.1 only.
    const org = await sandboxAdmin<SandboxOrg>(cluster, 'POST', '/orgs', {
      name: `Bench ${i} (${edition})`,
      edition,
      data_center: i % 2 ? 'us' : 'eu',
      latency_ms: options.latencyMs,
      latency_jitter_ms: options.jitterMs,
      users: [
        {
          email: `admin.${i}.${tag}@bench-org${i}.example`,
          first_name: 'Org',
          last_name: `Admin${i}`,
          profile: 'Administrator',
        },
      ],
    });
    if (org.limits.concurrency !== editionConcurrency[edition])
      throw new Error(
        `org ${i}: the sandbox allows ${org.limits.concurrency} calls at once, ${edition} is ${editionConcurrency[edition]}`,
      );
    const host = {
      id: `usr_bench_${i}`,
      email: `host${i}@bench.peposmart.test`,
      name: `Host Number${i}`,
      orgId: org.org_id,
      edition,
      concurrency: org.limits.concurrency,
    };
    await connect(cluster, host, org.users[0]!.email);
    hosts.push(host);
  }
  return hosts;
}

async function connect(cluster: Cluster, host: Host, zohoEmail: string): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const token = signHandoff(cluster.handoffSecret, {
    jti: crypto.randomBytes(12).toString('hex'),
    iat: now,
    exp: now + 120,
    workspace: BENCH_WORKSPACE,
    user: { id: host.id, email: host.email, name: host.name, role: 'member' },
  });
  const browser = new CookieBrowser();
  const signedIn = await browser.get(`${cluster.appUrl}/auth/handoff?token=${encodeURIComponent(token)}`);
  if (signedIn.status !== 303) throw new Error(`handoff sign-in of ${host.id}: ${signedIn.status}`);
  const start = await browser.get(`${cluster.appUrl}/integrations/zoho/connect`);
  if (!start.location) throw new Error(`connect did not redirect: ${start.status}`);
  const back = await authorize(
    cluster.sandboxBase,
    Object.fromEntries(start.location.searchParams),
    zohoEmail,
  );
  const done = await browser.get(back.toString());
  if (done.location?.search !== '?done=connected')
    throw new Error(`connect of ${host.id} failed: ${done.status} ${done.location}`);
}
