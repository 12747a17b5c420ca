import crypto from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Queryable } from '../db/port.ts';
import { findUser, type User } from './repo.ts';

/**
 * Sessions: a random token in an HttpOnly cookie; the database keeps only its hash. The
 * CSRF token for forms is derived from the session token, so it needs no storage.
 */
export const SESSION_COOKIE = 'pepo_session';
export const SESSION_TTL_MS = 12 * 3600_000;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export async function createSession(q: Queryable, clock: Clock, user: Pick<User, 'id' | 'workspaceId'>) {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(clock.now().getTime() + SESSION_TTL_MS);
  await q.query('DELETE FROM sessions WHERE expires_at < $1', [clock.now()]);
  await q.query(
    'INSERT INTO sessions (token_hash, workspace_id, user_id, expires_at) VALUES ($1, $2, $3, $4)',
    [sha256(token), user.workspaceId, user.id, expiresAt],
  );
  return { token, expiresAt };
}

export async function resolveSession(q: Queryable, clock: Clock, token: string): Promise<User | undefined> {
  const { rows } = await q.query<{ workspace_id: string; user_id: string }>(
    'SELECT workspace_id, user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2',
    [sha256(token), clock.now()],
  );
  const s = rows[0];
  return s ? findUser(q, s.workspace_id, s.user_id) : undefined;
}

export async function endSession(q: Queryable, token: string) {
  await q.query('DELETE FROM sessions WHERE token_hash = $1', [sha256(token)]);
}

export function csrfToken(sessionToken: string): string {
  return crypto.createHmac('sha256', sessionToken).update('csrf').digest('base64url');
}

export function csrfValid(sessionToken: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfToken(sessionToken));
  const given = Buffer.from(presented);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
