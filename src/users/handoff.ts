import crypto from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/port.ts';
import { AppError } from '../errors.ts';
import { controlCharsMessage, storable } from '../text.ts';
import { findUser, type User, upsertUser, upsertWorkspace } from './repo.ts';

/**
 * Sign-in from the scheduling platform: it sends the user to `/auth/handoff?token=…` with a
 * short-lived token it signed with AUTH_HANDOFF_SECRET:
 * `base64url(JSON claims) + "." + base64url(HMAC-SHA256(secret, first part))`.
 * Tokens live at most 5 minutes and are single-use. The claims describe the workspace and
 * user, which are created or updated here (the platform is their source of truth).
 */
export const HANDOFF_MAX_TTL_S = 300;

/** Claims name people and workspaces shown on every page: storable text only (as events, L1). */
const claimText = (max: number) => z.string().min(1).max(max).refine(storable, controlCharsMessage);

const claimsSchema = z.object({
  jti: z.string().min(8).max(200),
  iat: z.number().int(),
  exp: z.number().int(),
  workspace: z.object({ id: claimText(200), name: claimText(200) }),
  user: z.object({
    id: claimText(200),
    email: z.string().email(),
    name: claimText(200),
    role: z.enum(['admin', 'member']),
  }),
});
export type HandoffClaims = z.infer<typeof claimsSchema>;

const sign = (secret: string, data: string) =>
  crypto.createHmac('sha256', secret).update(data).digest('base64url');

/** How the platform makes a token (also what its integration tests can call). */
export function signHandoff(secret: string, claims: HandoffClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${sign(secret, body)}`;
}

const refused = (why: string) => new AppError('unauthorized', `Sign-in link refused: ${why}`);

export function verifyHandoff(secret: string, token: string, now: Date): HandoffClaims {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) throw refused('malformed');
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
    throw refused('bad signature');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw refused('malformed');
  }
  const claims = claimsSchema.safeParse(parsed);
  if (!claims.success) throw refused('malformed claims');
  const t = Math.floor(now.getTime() / 1000);
  const c = claims.data;
  if (c.exp <= t) throw refused('expired');
  if (c.exp - c.iat > HANDOFF_MAX_TTL_S || c.iat > t + 60) throw refused('lifetime too long');
  return c;
}

/** Verifies, spends the token id, and brings the workspace and user up to date. */
export async function acceptHandoff(
  db: Database,
  clock: Clock,
  secret: string,
  token: string,
): Promise<User> {
  return spendHandoff(db, clock, verifyHandoff(secret, token, clock.now()));
}

/** Whether a token id was already spent (a link asked about before switching must still work). */
export async function handoffSpent(db: Database, jti: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM used_handoffs WHERE jti = $1', [jti]);
  return rows.length > 0;
}

/**
 * Spends verified claims' token id and brings the workspace and user up to date, all or nothing:
 * a refusal leaves the token unspent and nobody changed.
 */
export async function spendHandoff(db: Database, clock: Clock, c: HandoffClaims): Promise<User> {
  return db.transaction(async (tx) => {
    await tx.query('DELETE FROM used_handoffs WHERE expires_at < $1', [clock.now()]);
    const spent = await tx.query(
      'INSERT INTO used_handoffs (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING',
      [c.jti, new Date(c.exp * 1000)],
    );
    if (spent.rowCount === 0) throw refused('already used');
    await upsertWorkspace(tx, c.workspace);
    const outcome = await upsertUser(tx, { ...c.user, workspaceId: c.workspace.id });
    if (outcome === 'other_workspace') throw refused('user belongs to another workspace');
    // The platform sent two of its users with one email (users are unique by email per workspace).
    if (outcome === 'email_taken')
      throw new AppError(
        'conflict',
        `Another member of ${c.workspace.name} already has the email ${c.user.email}, and two members cannot share one here. Give one of them another email in PepoSmart, then open Integrations from PepoSmart again.`,
      );
    return (await findUser(tx, c.workspace.id, c.user.id))!;
  });
}
