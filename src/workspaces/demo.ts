import type { Database } from '../db/port.ts';
import { upsertUser, upsertWorkspace } from '../users/repo.ts';

/**
 * The demo workspace `npm start` seeds in sandbox mode, so a newcomer can sign in, connect
 * a sandbox Zoho org and see records appear. Idempotent: a restart changes nothing.
 */
export const demoWorkspace = { id: 'ws_demo', name: 'Demo Workspace' } as const;
export const demoUsers = [
  { id: 'usr_alex', email: 'alex@peposmart.test', name: 'Alex Morgan', role: 'admin' },
  { id: 'usr_sam', email: 'sam@peposmart.test', name: 'Sam Rivera', role: 'member' },
] as const;

export async function seedDemoWorkspace(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await upsertWorkspace(tx, demoWorkspace);
    for (const u of demoUsers) await upsertUser(tx, { ...u, workspaceId: demoWorkspace.id });
  });
}
