import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { describeProblem } from '../../src/connections/problems.ts';
import { findConnection } from '../../src/connections/repo.ts';
import type { Database } from '../../src/db/port.ts';
import type { AppSession, TestApp } from './app.ts';
import { authorize } from './oauth-flow.ts';
import type { CreatedOrg, SandboxClient } from './sandbox.ts';

/**
 * The connect flow cut into the steps a user (or an attacker) takes over HTTP, so tests can
 * change what reaches the app's callback, plus what the card and the database show after.
 */
export interface ConnectStart {
  /** Where the app sent the browser: Zoho's (the sandbox's) authorization page. */
  location: URL;
  params: Record<string, string>;
  state: string;
}

/** GET /integrations/zoho/connect as the session's user. */
export async function beginConnect(session: AppSession): Promise<ConnectStart> {
  const res = await session.get('/integrations/zoho/connect');
  expect(res.status).toBe(303);
  const location = res.location!;
  const params = Object.fromEntries(location.searchParams);
  expect(params['state']).toBeTruthy();
  return { location, params, state: params['state']! };
}

/** Zoho's consent page answered as `email`: the callback URL Zoho sends the browser to. */
export function consent(
  sandboxBase: string,
  start: ConnectStart,
  email: string,
  decision: 'accept' | 'deny' = 'accept',
): Promise<URL> {
  return authorize(sandboxBase, start.params, email, decision);
}

/** The callback's redirect as a local path, e.g. `/integrations?done=connected`. */
export const localTarget = (location: URL | null) =>
  location ? `${location.pathname}${location.search}` : undefined;

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
/** The visible text of an HTML fragment. */
export const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => entities[e]!)
    .replace(/\s+/g, ' ')
    .trim();

export interface CardProblem {
  code: string;
  text: string;
}

/** The problem the Zoho card explains (`#zoho-problem`), if any. */
export function cardProblem(page: string): CardProblem | undefined {
  const m = /<div class="problem" id="zoho-problem" data-code="([^"]*)">([\s\S]*?)<\/div>/.exec(page);
  return m ? { code: m[1]!, text: textOf(m[2]!) } : undefined;
}

/** The card's status (`data-status` of `#zoho-card`). */
export const cardStatus = (page: string) => /id="zoho-card" data-status="([^"]*)"/.exec(page)?.[1];

/** The user's /integrations page shows `code`, with its plain-language "What to do". */
export async function expectProblemOnCard(session: AppSession, code: string): Promise<string> {
  const page = await session.get('/integrations');
  expect(page.status).toBe(200);
  const problem = cardProblem(page.html);
  expect(problem?.code, 'problem shown on the card').toBe(code);
  const described = describeProblem(code);
  expect(problem!.text).toContain(described.title);
  expect(problem!.text).toContain(`What to do: ${described.check}`);
  return page.html;
}

/** Sealed token rows of the user's connection (0 or 1). */
export async function tokenRows(db: Database, workspaceId: string, userId: string): Promise<number> {
  const { rows } = await db.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM connection_tokens t JOIN connections c ON c.id = t.connection_id
      WHERE c.workspace_id = $1 AND c.user_id = $2`,
    [workspaceId, userId],
  );
  return Number(rows[0]!.n);
}

/** The user has no live Zoho connection: not connected (or no row at all) and no tokens. */
export async function expectNotConnected(db: Database, workspaceId: string, userId: string) {
  const conn = await findConnection(db, workspaceId, userId);
  expect(conn?.status ?? 'not_connected').toBe('not_connected');
  expect(conn?.zohoUser ?? null).toBeNull();
  expect(await tokenRows(db, workspaceId, userId)).toBe(0);
}

/** The user's connection and sealed tokens, for before/after comparisons. */
export async function connectionSnapshot(db: Database, workspaceId: string, userId: string) {
  const conn = await db.query('SELECT * FROM connections WHERE workspace_id = $1 AND user_id = $2', [
    workspaceId,
    userId,
  ]);
  const tokens = await db.query(
    `SELECT t.* FROM connection_tokens t JOIN connections c ON c.id = t.connection_id
      WHERE c.workspace_id = $1 AND c.user_id = $2`,
    [workspaceId, userId],
  );
  return { connection: conn.rows[0], tokens: tokens.rows[0] };
}

export const exchangeCall = '/oauth/v2/token (authorization_code)';
export const revokeCall = '/oauth/v2/token/revoke';

/** The org's call log entries with `path`. */
export async function callsTo(client: SandboxClient, org: CreatedOrg, path: string) {
  return (await client.calls(org)).filter((c) => c.path === path);
}

/** The sandbox's fingerprint of a token (first 12 hex digits of its SHA-256). */
export const fingerprint = (token: string) =>
  crypto.createHash('sha256').update(token).digest('hex').slice(0, 12);

/**
 * After a failure that followed a code exchange: the grant Zoho issued was revoked (the
 * org's log shows a successful revoke of a token Zoho issued to the app) and the app kept
 * no token.
 */
export async function expectGrantRevoked(client: SandboxClient, org: CreatedOrg, app: TestApp) {
  const exchanges = await callsTo(client, org, exchangeCall);
  expect(exchanges.map((c) => c.status)).toEqual([200]);
  const revokes = await callsTo(client, org, revokeCall);
  expect(revokes.map((c) => c.status)).toEqual([200]);
  const issued = app.issuedTokens.map(fingerprint);
  expect(issued).toContain(revokes[0]!.token_hash);
  const { rows } = await app.db.query<{ n: number | string }>('SELECT count(*) AS n FROM connection_tokens');
  expect(Number(rows[0]!.n)).toBe(0);
}

/** Injects a sandbox fault (sandbox/README.md, Admin API). */
export async function injectFault(client: SandboxClient, fault: Record<string, unknown>) {
  const res = await client.json('POST', '/__sandbox/faults', { count: 1, ...fault });
  if (res.status !== 201) throw new Error(`fault not accepted: ${res.status} ${res.text}`);
  return res.body as { id: string };
}

export async function clearFaults(client: SandboxClient) {
  await client.json('DELETE', '/__sandbox/faults');
}

/**
 * An HTTP server the test runs, standing in for a server outside Zoho's data centres: it
 * records every request it receives and answers 404.
 */
export async function startSpyServer() {
  const hits: Array<{ method: string; url: string }> = [];
  const server = http.createServer((req, res) => {
    hits.push({ method: req.method ?? '', url: req.url ?? '' });
    req.resume();
    res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A clock a test moves by hand. */
export function manualClock(start = Date.now()) {
  let t = start;
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}
