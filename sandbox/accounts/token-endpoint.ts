import type { FastifyInstance, FastifyRequest } from 'fastify';
import { logCall, tokenFingerprint } from '../calls.ts';
import type { SandboxCore } from '../core.ts';
import type { DataCenter } from '../dc.ts';
import { hashToken } from '../ids.ts';
import { exchangeCode, type GrantResult, type Params, refresh } from './grants.ts';
import { deleteAccessToken, deleteRefreshToken, tokenErrors } from './tokens.ts';

/**
 * Parameters as Zoho Accounts reads them: the query string, then a urlencoded or
 * multipart/form-data body (Zoho's SDKs post multipart), a body field winning over the query's.
 * The accounts scope parses no other body, so a JSON body adds nothing (sandbox Guesses).
 */
export function accountsParams(req: FastifyRequest): Params {
  const out: Params = {};
  for (const source of [req.query, req.body]) {
    if (!source || typeof source !== 'object') continue;
    for (const [k, v] of Object.entries(source)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function grantFor(core: SandboxCore, dc: DataCenter, form: Params): GrantResult {
  const grant = form['grant_type'];
  if (grant === 'authorization_code') return exchangeCode(core, dc, form);
  if (grant === 'refresh_token') return refresh(core, dc, form);
  return { reply: tokenErrors.unsupportedGrant() };
}

export function registerTokenEndpoints(app: FastifyInstance, core: SandboxCore, dc: DataCenter): void {
  const base = `/${dc}/accounts/oauth/v2/token`;

  app.post(base, (req, reply) => {
    const form = accountsParams(req);
    const grant = form['grant_type'];
    const result = grantFor(core, dc, form);
    if (result.orgId) {
      logCall(core, result.orgId, {
        method: 'POST',
        path: `/oauth/v2/token (${grant})`,
        status: result.reply.status,
        user_id: result.userId ?? null,
        dc,
        client_id: form['client_id'] ?? null,
        token_hash: tokenFingerprint(grant === 'refresh_token' ? form['refresh_token'] : undefined),
        code: typeof result.reply.body['error'] === 'string' ? result.reply.body['error'] : null,
      });
    }
    return reply.code(result.reply.status).send(result.reply.body);
  });

  // Zoho's revoke page: an invalid token answers HTTP 400 (its body is not documented).
  app.post(`${base}/revoke`, (req, reply) => {
    const token = accountsParams(req)['token'] ?? '';
    const hash = hashToken(token);
    // Each data centre's accounts server holds only its own tokens: another DC's is unknown here.
    const ownDc = <T extends { dc: DataCenter }>(t: T | undefined) => (t?.dc === dc ? t : undefined);
    const rt = ownDc(core.state.refresh_tokens[hash]);
    const at = ownDc(core.state.access_tokens[hash]);
    const owner = rt ?? at;
    if (rt) deleteRefreshToken(core, hash);
    else if (at) deleteAccessToken(core, hash);
    const user = owner ? core.state.users[owner.user_id] : undefined;
    const status = owner ? 200 : 400;
    if (user) {
      logCall(core, user.org_id, {
        method: 'POST',
        path: '/oauth/v2/token/revoke',
        status,
        user_id: user.id,
        dc,
        client_id: owner?.client_id ?? null,
        token_hash: tokenFingerprint(token),
      });
    }
    core.changed();
    return owner
      ? reply.send({ status: 'success' })
      : reply.code(400).send({ error: 'invalid_token', status: 'failure' });
  });
}
