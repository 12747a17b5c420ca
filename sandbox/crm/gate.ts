import type { FastifyReply, FastifyRequest } from 'fastify';
import { logCall, tokenFingerprint } from '../calls.ts';
import type { SandboxCore } from '../core.ts';
import type { DataCenter } from '../dc.ts';
import { crmErrors, type ZohoError } from '../errors.ts';
import { serveFault, sleep, takeFault } from '../faults.ts';
import { hashToken } from '../ids.ts';
import { callLatency } from '../latency.ts';
import {
  acquireSlot,
  chargeCredits,
  concurrencyLimit,
  creditsPerDay,
  creditsUsed,
  heavySubLimit,
} from '../limits.ts';
import type { ModuleName } from '../modules.ts';
import { grants } from '../scopes.ts';
import type { AccessToken, Action, SbOrg, SbUser } from '../state.ts';

/**
 * Every CRM API call passes here, in Zoho's order: the token, the org's API access, the
 * scope, the profile's permission, the concurrency limit, the credits; then the handler.
 * Injected faults and the org's latency apply on the way, and each call is logged.
 */
export interface ApiContext {
  core: SandboxCore;
  dc: DataCenter;
  org: SbOrg;
  user: SbUser;
  token: AccessToken;
  req: FastifyRequest;
}

export interface ApiReply {
  status: number;
  /** Undefined: an empty body (Zoho's 204). */
  body?: unknown;
  /** Credits charged when the outcome decides them (a composite request that rolled back). */
  cost?: number;
}

export interface Prepared {
  scopes: string[];
  permissions?: Array<{ module: ModuleName; action: Action }>;
  cost?: number;
  heavy?: boolean;
  /** How many of the org's concurrent calls this one counts as (a composite request: 5). */
  concurrency?: number;
  run(ctx: ApiContext): ApiReply | ZohoError;
}

export type Prepare = (req: FastifyRequest, org: SbOrg) => Prepared | ZohoError;

const permissionName: Record<Action, string> = {
  view: 'View',
  create: 'Create',
  edit: 'Edit',
  delete: 'Delete',
};

export function isError(x: unknown): x is ZohoError {
  return Boolean(x && typeof x === 'object' && 'body' in x && (x as ZohoError).body?.status === 'error');
}

/** The key under which an org's calls through one client count toward its limits. */
export function slotKey(org: SbOrg, token: AccessToken, heavy = false): string {
  return `${org.id}:${token.client_id}${heavy ? ':heavy' : ''}`;
}

/** The scope, then the profile's permission, as Zoho checks them (a composite's sub-requests too). */
export function checkAccess(
  prepared: Prepared,
  token: AccessToken,
  org: SbOrg,
  user: SbUser,
): ZohoError | undefined {
  if (prepared.scopes.some((s) => !grants(token.scopes, s))) return crmErrors.scopeMismatch();
  const profile = org.profiles[user.profile] ?? {};
  const denied = (prepared.permissions ?? []).find((p) => !(profile[p.module] ?? []).includes(p.action));
  if (denied) return crmErrors.noPermission(`Crm_Implied_${permissionName[denied.action]}_${denied.module}`);
  return undefined;
}

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Zoho-oauthtoken\s+(\S+)$/i.exec(header) : null;
  return m?.[1];
}

export async function gate(
  core: SandboxCore,
  dc: DataCenter,
  req: FastifyRequest,
  reply: FastifyReply,
  prepare: Prepare,
): Promise<void> {
  const path = new URL(req.url, 'http://x').pathname.replace(`/${dc}/api`, '');
  const token = bearer(req);
  const hash = token ? hashToken(token) : undefined;
  const at = hash ? core.state.access_tokens[hash] : undefined;
  const tomb = hash ? core.state.dead_tokens[hash] : undefined;
  const user = at ? core.state.users[at.user_id] : undefined;
  const orgId = user?.org_id ?? tomb?.org_id;
  let status = 0;
  let code: string | null = null;
  let credits = 0;
  let release: (() => void) | undefined;
  const send = (r: ApiReply | ZohoError) => {
    status = r.status;
    if (isError(r)) code = r.body.code;
    if (r.body === undefined) return reply.code(r.status).send();
    return reply.code(r.status).send(r.body);
  };
  try {
    const fault = takeFault(core, { orgId, dc, method: req.method, path });
    const served = fault && (await serveFault(fault, req, reply, crmErrors.internal().body));
    if (served) {
      status = served === 'dropped' ? 0 : fault.status!;
      code = served === 'dropped' ? 'DROPPED' : 'FAULT';
      return;
    }
    if (!token) return void (await send(crmErrors.authenticationFailure()));
    if (!at || !user || at.expires_ms <= core.now() || at.dc !== dc)
      return void (await send(crmErrors.invalidToken()));
    const org = core.state.orgs[user.org_id]!;
    if (!org.api_access) return void (await send(crmErrors.noApiAccess()));
    const prepared = prepare(req, org);
    if (isError(prepared)) return void (await send(prepared));
    const refused = checkAccess(prepared, at, org, user);
    if (refused) return void (await send(refused));
    const limit = concurrencyLimit(org, core.now());
    release = acquireSlot(core, slotKey(org, at), limit, prepared.concurrency ?? 1);
    const releaseHeavy = prepared.heavy
      ? acquireSlot(core, slotKey(org, at, true), Math.min(limit, heavySubLimit))
      : () => {};
    if (!release || !releaseHeavy) {
      release?.();
      release = undefined;
      return void (await send(crmErrors.tooManyRequests()));
    }
    const releaseAll = release;
    release = () => {
      releaseAll();
      releaseHeavy();
    };
    const cost = prepared.cost ?? 1;
    if (creditsUsed(core, org.id) + cost > creditsPerDay(org, core.now()))
      return void (await send(crmErrors.creditsExhausted()));
    const latency = callLatency(org);
    if (latency > 0) await sleep(latency);
    const result = prepared.run({ core, dc, org, user, token: at, req });
    credits = ('cost' in result && result.cost) || cost;
    chargeCredits(core, org.id, credits);
    // The call stops counting once its answer is ready, before it is written: a client that
    // starts its next call on reading this one's answer is never counted twice.
    release();
    release = undefined;
    await send(result);
  } finally {
    release?.();
    if (orgId) {
      logCall(core, orgId, {
        method: req.method,
        path,
        status,
        user_id: user?.id ?? tomb?.user_id ?? null,
        dc,
        client_id: at?.client_id ?? null,
        token_hash: tokenFingerprint(token),
        code,
        credits,
      });
    }
  }
}
