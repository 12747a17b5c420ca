import crypto from 'node:crypto';
import type { Queryable } from '../db/port.ts';

/** Zoho connections and their sealed tokens: one query per function, workspace id explicit. */
export type ConnectionStatus = 'not_connected' | 'connected' | 'reconnect_needed';

export interface ConnectionSettings {
  newAttendeeModule: 'Contacts' | 'Leads';
  syncBookings: boolean;
  syncNotes: boolean;
  syncTasks: boolean;
  suggestDealStages: boolean;
  /** Log only on Contacts/Leads already in Zoho; never create one. */
  onlyExisting: boolean;
  /** Let the org's workflow rules fire on our writes (Zoho's `trigger`). */
  fireWorkflows: boolean;
  /** Also write each booking as a Meeting in Zoho's Events module (needs the Events scopes). */
  syncMeetings: boolean;
  /** Leave out attendees of the host's own email domain and of `internalDomains`. */
  skipInternal: boolean;
  /** Domains the user counts as internal besides the host's: lower case, no '@'. */
  internalDomains: string[];
  /** The event types whose meetings are synced (the platform's `event_type`); null: all. */
  eventTypes: EventTypeChoice[] | null;
}

/** An event type as the platform sent it: its id decides, its name is for the card. */
export interface EventTypeChoice {
  id: string;
  name: string;
}

export interface Connection {
  id: string;
  workspaceId: string;
  userId: string;
  status: ConnectionStatus;
  dataCentre: string | null;
  accountsServer: string | null;
  apiDomain: string | null;
  scopes: string | null;
  zohoUser: { id: string; name: string; email: string } | null;
  zohoOrg: { id: string; name: string } | null;
  settings: ConnectionSettings;
  problem: { code: string; detail: string | null; at: Date } | null;
  connectedAt: Date | null;
}

type Row = Record<string, unknown>;

function toConnection(r: Row): Connection {
  const s = (k: string) => (r[k] === null || r[k] === undefined ? null : String(r[k]));
  return {
    id: String(r['id']),
    workspaceId: String(r['workspace_id']),
    userId: String(r['user_id']),
    status: r['status'] as ConnectionStatus,
    dataCentre: s('data_center'),
    accountsServer: s('accounts_server'),
    apiDomain: s('api_domain'),
    scopes: s('scopes'),
    zohoUser: r['zoho_user_id']
      ? {
          id: String(r['zoho_user_id']),
          name: String(r['zoho_user_name']),
          email: String(r['zoho_user_email']),
        }
      : null,
    zohoOrg: r['zoho_org_id'] ? { id: String(r['zoho_org_id']), name: String(r['zoho_org_name']) } : null,
    settings: {
      newAttendeeModule: r['new_attendee_module'] as 'Contacts' | 'Leads',
      syncBookings: Boolean(r['sync_bookings']),
      syncNotes: Boolean(r['sync_notes']),
      syncTasks: Boolean(r['sync_tasks']),
      suggestDealStages: Boolean(r['suggest_deal_stages']),
      onlyExisting: Boolean(r['only_existing']),
      fireWorkflows: Boolean(r['fire_workflows']),
      syncMeetings: Boolean(r['sync_meetings']),
      skipInternal: r['skip_internal'] === undefined ? true : Boolean(r['skip_internal']),
      internalDomains: (r['internal_domains'] as string[] | null) ?? [],
      eventTypes: (r['event_types'] as EventTypeChoice[] | null) ?? null,
    },
    problem: r['problem_code']
      ? {
          code: String(r['problem_code']),
          detail: s('problem_detail'),
          at: new Date(r['problem_at'] as string),
        }
      : null,
    connectedAt: r['connected_at'] ? new Date(r['connected_at'] as string) : null,
  };
}

export async function findConnection(q: Queryable, workspaceId: string, userId: string) {
  const { rows } = await q.query('SELECT * FROM connections WHERE workspace_id = $1 AND user_id = $2', [
    workspaceId,
    userId,
  ]);
  return rows[0] ? toConnection(rows[0]) : undefined;
}

export async function findConnectionById(q: Queryable, workspaceId: string, id: string) {
  const { rows } = await q.query('SELECT * FROM connections WHERE workspace_id = $1 AND id = $2', [
    workspaceId,
    id,
  ]);
  return rows[0] ? toConnection(rows[0]) : undefined;
}

export async function listWorkspaceConnections(q: Queryable, workspaceId: string) {
  const { rows } = await q.query(
    `SELECT c.*, u.name AS member_name, u.email AS member_email
       FROM users u LEFT JOIN connections c ON c.user_id = u.id AND c.workspace_id = u.workspace_id
      WHERE u.workspace_id = $1 ORDER BY u.name`,
    [workspaceId],
  );
  return rows.map((r) => ({
    member: { name: String(r['member_name']), email: String(r['member_email']) },
    connection: r['id'] ? toConnection(r) : undefined,
  }));
}

/** The user's connection row, created (not connected) on first need; its id is stable. */
export async function ensureConnection(
  q: Queryable,
  workspaceId: string,
  userId: string,
): Promise<Connection> {
  await q.query(
    `INSERT INTO connections (id, workspace_id, user_id, status) VALUES ($1, $2, $3, 'not_connected')
     ON CONFLICT (workspace_id, user_id) DO NOTHING`,
    [`conn_${crypto.randomBytes(12).toString('hex')}`, workspaceId, userId],
  );
  return (await findConnection(q, workspaceId, userId))!;
}

export async function markConnected(
  q: Queryable,
  c: {
    workspaceId: string;
    id: string;
    dataCentre: string;
    accountsServer: string;
    apiDomain: string;
    scopes: string;
    zohoUser: { id: string; name: string; email: string };
    zohoOrg: { id: string; name: string; edition: string | null };
  },
) {
  await q.query(
    `UPDATE connections SET status = 'connected', data_center = $3, accounts_server = $4, api_domain = $5,
            scopes = $6, zoho_user_id = $7, zoho_user_name = $8, zoho_user_email = $9, zoho_org_id = $10,
            zoho_org_name = $11, zoho_edition = $12, problem_code = NULL, problem_detail = NULL, problem_at = NULL,
            connected_at = now(), updated_at = now()
      WHERE workspace_id = $1 AND id = $2`,
    [
      c.workspaceId,
      c.id,
      c.dataCentre,
      c.accountsServer,
      c.apiDomain,
      c.scopes,
      c.zohoUser.id,
      c.zohoUser.name,
      c.zohoUser.email,
      c.zohoOrg.id,
      c.zohoOrg.name,
      c.zohoOrg.edition,
    ],
  );
}

/** Records a problem; `status` moves the connection (e.g. to reconnect_needed) when given. */
export async function setProblem(
  q: Queryable,
  workspaceId: string,
  id: string,
  problem: { code: string; detail?: string },
  status?: ConnectionStatus,
) {
  await q.query(
    `UPDATE connections SET problem_code = $3, problem_detail = $4, problem_at = now(),
            status = COALESCE($5, status), updated_at = now()
      WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, id, problem.code, problem.detail ?? null, status ?? null],
  );
}

export async function markDisconnected(q: Queryable, workspaceId: string, id: string) {
  await q.query(
    `UPDATE connections SET status = 'not_connected', problem_code = NULL, problem_detail = NULL,
            problem_at = NULL, updated_at = now()
      WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, id],
  );
}

export async function updateSettings(q: Queryable, workspaceId: string, id: string, s: ConnectionSettings) {
  await q.query(
    `UPDATE connections SET new_attendee_module = $3, sync_bookings = $4, sync_notes = $5, sync_tasks = $6,
            suggest_deal_stages = $7, only_existing = $8, fire_workflows = $9, sync_meetings = $10,
            skip_internal = $11, internal_domains = $12, event_types = $13::jsonb, updated_at = now()
      WHERE workspace_id = $1 AND id = $2`,
    [
      workspaceId,
      id,
      s.newAttendeeModule,
      s.syncBookings,
      s.syncNotes,
      s.syncTasks,
      s.suggestDealStages,
      s.onlyExisting,
      s.fireWorkflows,
      s.syncMeetings,
      s.skipInternal,
      s.internalDomains,
      s.eventTypes === null ? null : JSON.stringify(s.eventTypes),
    ],
  );
}

// --- sealed tokens ---------------------------------------------------------------------

export interface TokenRow {
  connectionId: string;
  workspaceId: string;
  refreshToken: string;
  accessToken: string | null;
  accessExpiresAt: Date | null;
  /** Recent refresh attempts, for Zoho's 10-per-10-minutes limit. */
  refreshLog: Date[];
}

function toTokenRow(r: Row): TokenRow {
  return {
    connectionId: String(r['connection_id']),
    workspaceId: String(r['workspace_id']),
    refreshToken: String(r['refresh_token']),
    accessToken: r['access_token'] === null ? null : String(r['access_token']),
    accessExpiresAt: r['access_expires_at'] ? new Date(r['access_expires_at'] as string) : null,
    refreshLog: ((r['refresh_log'] as Array<string | Date> | null) ?? []).map((d) => new Date(d)),
  };
}

/** Tokens plus what a call needs from the connection; only while it is connected. */
export interface LiveTokens extends TokenRow {
  accountsServer: string;
  apiDomain: string;
  orgKey: string;
  edition: string | null;
}

const liveColumns =
  't.*, c.accounts_server, c.api_domain, COALESCE(c.zoho_org_id, c.id) AS org_key, c.zoho_edition';
const liveSelect = `SELECT ${liveColumns}
     FROM connection_tokens t JOIN connections c ON c.id = t.connection_id
    WHERE t.connection_id = $1 AND t.workspace_id = $2 AND c.status = 'connected'`;

/**
 * The live tokens of the connection `connection` and workspace `workspace` name (SQL expressions
 * of the enclosing query) as one JSON value, null when it is not connected: read in the same
 * statement as something else (a sync job's event), then `liveTokensFrom`.
 */
export const liveTokensJson = (connection: string, workspace: string) =>
  `(SELECT row_to_json(l) FROM (SELECT ${liveColumns}
      FROM connection_tokens t JOIN connections c ON c.id = t.connection_id
     WHERE t.connection_id = ${connection} AND t.workspace_id = ${workspace} AND c.status = 'connected') l)`;

export function liveTokensFrom(json: Record<string, unknown> | null): LiveTokens | undefined {
  return json ? toLive(json) : undefined;
}

function toLive(r: Row): LiveTokens {
  return {
    ...toTokenRow(r),
    accountsServer: String(r['accounts_server']),
    apiDomain: String(r['api_domain']),
    orgKey: String(r['org_key']),
    edition: r['zoho_edition'] == null ? null : String(r['zoho_edition']),
  };
}

export async function readLiveTokens(q: Queryable, workspaceId: string, connectionId: string) {
  const { rows } = await q.query(liveSelect, [connectionId, workspaceId]);
  return rows[0] ? toLive(rows[0]) : undefined;
}

/** The same, holding the token row's lock until the transaction ends: one refresher at a time. */
export async function lockLiveTokens(tx: Queryable, workspaceId: string, connectionId: string) {
  const { rows } = await tx.query(`${liveSelect} FOR UPDATE OF t`, [connectionId, workspaceId]);
  return rows[0] ? toLive(rows[0]) : undefined;
}

export async function saveTokens(
  q: Queryable,
  t: {
    connectionId: string;
    workspaceId: string;
    refreshToken: string;
    accessToken: string;
    accessExpiresAt: Date;
  },
) {
  await q.query(
    `INSERT INTO connection_tokens (connection_id, workspace_id, refresh_token, access_token, access_expires_at,
                                    refresh_log)
     VALUES ($1, $2, $3, $4, $5, '{}')
     ON CONFLICT (connection_id) DO UPDATE SET refresh_token = $3, access_token = $4, access_expires_at = $5,
            refresh_log = '{}', updated_at = now()`,
    [t.connectionId, t.workspaceId, t.refreshToken, t.accessToken, t.accessExpiresAt],
  );
}

export async function saveRefreshedAccess(
  q: Queryable,
  t: { workspaceId: string; connectionId: string; accessToken: string; accessExpiresAt: Date },
) {
  await q.query(
    `UPDATE connection_tokens SET access_token = $3, access_expires_at = $4, updated_at = now()
      WHERE workspace_id = $1 AND connection_id = $2`,
    [t.workspaceId, t.connectionId, t.accessToken, t.accessExpiresAt],
  );
}

/** Saved before Zoho is asked, so a failed or timed-out attempt still counts. */
export async function saveRefreshLog(q: Queryable, workspaceId: string, connectionId: string, log: Date[]) {
  await q.query(
    'UPDATE connection_tokens SET refresh_log = $3 WHERE workspace_id = $1 AND connection_id = $2',
    [workspaceId, connectionId, log],
  );
}

export async function readTokens(q: Queryable, workspaceId: string, connectionId: string) {
  const { rows } = await q.query(
    'SELECT * FROM connection_tokens WHERE workspace_id = $1 AND connection_id = $2',
    [workspaceId, connectionId],
  );
  return rows[0] ? toTokenRow(rows[0]) : undefined;
}

export async function deleteTokens(q: Queryable, workspaceId: string, connectionId: string) {
  await q.query('DELETE FROM connection_tokens WHERE workspace_id = $1 AND connection_id = $2', [
    workspaceId,
    connectionId,
  ]);
}

/** Every sealed value, for re-encryption under a new key. */
export async function lockAllTokens(tx: Queryable) {
  const { rows } = await tx.query('SELECT * FROM connection_tokens ORDER BY connection_id FOR UPDATE');
  return rows.map(toTokenRow);
}

export async function rewriteSealed(
  tx: Queryable,
  t: { connectionId: string; refreshToken: string; accessToken: string | null },
) {
  await tx.query(
    'UPDATE connection_tokens SET refresh_token = $2, access_token = $3 WHERE connection_id = $1',
    [t.connectionId, t.refreshToken, t.accessToken],
  );
}
