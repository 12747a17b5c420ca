import type { Clock } from '../clock.ts';
import type { ConnectionDeps } from '../connections/deps.ts';
import type { Database } from '../db/port.ts';
import type { SampleMeeting } from '../demo/samples.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { Auth } from './auth.ts';

/**
 * How users sign in (Config.signIn): `demo`, the embedded demo's page to pick a user of the demo
 * workspace; `handoff`, only the scheduling platform's signed link (no secret: nobody).
 */
export type SignIn =
  | { readonly mode: 'demo' }
  | { readonly mode: 'handoff'; readonly secret: string | undefined };

/** What routes and pages share; built once in `buildWebApp`. */
export interface WebContext {
  db: Database;
  clock: Clock;
  auth: Auth;
  connections: ConnectionDeps;
  signIn: SignIn;
  /** The sync queue, when the event API runs in this process (reconnect resumes waiting work). */
  queue: Pick<JobQueue, 'send'> | undefined;
  /** Sandbox mode only: the demo Zoho accounts to sign in with on the consent page. */
  sandbox: { url: string; accounts: Array<{ email: string; org: string; dataCentre: string }> } | undefined;
  /** Sandbox mode with the event API: the Try it panel's sample meetings. */
  tryIt: { samples: readonly SampleMeeting[] } | undefined;
}
