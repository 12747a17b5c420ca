import type { Queryable } from '../db/port.ts';

export interface User {
  id: string;
  workspaceId: string;
  workspaceName: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
}

const select = `SELECT u.id, u.workspace_id, w.name AS workspace_name, u.email, u.name, u.role
                  FROM users u JOIN workspaces w ON w.id = u.workspace_id`;

function toUser(r: Record<string, unknown>): User {
  return {
    id: String(r['id']),
    workspaceId: String(r['workspace_id']),
    workspaceName: String(r['workspace_name']),
    email: String(r['email']),
    name: String(r['name']),
    role: r['role'] === 'admin' ? 'admin' : 'member',
  };
}

export async function findUser(q: Queryable, workspaceId: string, userId: string): Promise<User | undefined> {
  const { rows } = await q.query(`${select} WHERE u.workspace_id = $1 AND u.id = $2`, [workspaceId, userId]);
  return rows[0] ? toUser(rows[0]) : undefined;
}

/** The users of one workspace, for the demo's sign-in page (the demo workspace only). */
export async function listWorkspaceUsers(q: Queryable, workspaceId: string): Promise<User[]> {
  const { rows } = await q.query(`${select} WHERE u.workspace_id = $1 ORDER BY u.name`, [workspaceId]);
  return rows.map(toUser);
}

export async function upsertWorkspace(q: Queryable, w: { id: string; name: string }) {
  await q.query(
    'INSERT INTO workspaces (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = $2',
    [w.id, w.name],
  );
}

/**
 * Creates or updates a user as the scheduling platform describes them. `other_workspace`: the id
 * is another workspace's user; `email_taken`: another user of the workspace has that email
 * (emails are unique per workspace). On PostgreSQL the failed statement spoils the caller's
 * transaction, which must then end: callers turn both answers into a refusal.
 */
export async function upsertUser(
  q: Queryable,
  u: { id: string; workspaceId: string; email: string; name: string; role: 'admin' | 'member' },
): Promise<'ok' | 'other_workspace' | 'email_taken'> {
  try {
    const { rowCount } = await q.query(
      `INSERT INTO users (id, workspace_id, email, name, role) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET email = $3, name = $4, role = $5 WHERE users.workspace_id = $2`,
      [u.id, u.workspaceId, u.email, u.name, u.role],
    );
    return rowCount > 0 ? 'ok' : 'other_workspace';
  } catch (err) {
    // ON CONFLICT covers the id: a unique violation left is UNIQUE (workspace_id, email).
    if ((err as { code?: unknown }).code === '23505') return 'email_taken';
    throw err;
  }
}
