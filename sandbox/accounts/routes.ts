import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { logCall, tokenFingerprint } from '../calls.ts';
import type { SandboxCore } from '../core.ts';
import type { DataCenter } from '../dc.ts';
import { hashToken, newToken } from '../ids.ts';
import { findUserByEmail } from '../orgs.ts';
import { isKnownScope, splitScopes } from '../scopes.ts';
import type { GrantCode, SbClient } from '../state.ts';
import {
  canRefresh,
  checkClient,
  deleteAccessToken,
  deleteRefreshToken,
  mintAccessToken,
  mintRefreshToken,
  type TokenReply,
  tokenErrors,
  tokenSuccess,
  WEB_CODE_TTL_MS,
} from './tokens.ts';
import { consentPage, errorPage, signInPage } from './views.ts';

const SESSION_COOKIE = 'zsb_session';
const authParams = [
  'response_type',
  'client_id',
  'scope',
  'redirect_uri',
  'state',
  'access_type',
  'prompt',
  'code_challenge',
  'code_challenge_method',
] as const;
type Form = Record<string, string | undefined>;

function pickAuthParams(source: Form): Record<string, string> {
  return Object.fromEntries(
    authParams.flatMap((k) => (source[k] === undefined ? [] : [[k, String(source[k])]])),
  );
}

/** Checks what Zoho checks before showing consent; a bad client or redirect URI never redirects. */
function validateAuthRequest(
  core: SandboxCore,
  q: Form,
): { client: SbClient; scopes: string[] } | { error: [string, string] } {
  const client = q['client_id'] ? core.state.clients[q['client_id']] : undefined;
  if (!client)
    return {
      error: ['Invalid Client', 'The client_id in the request does not belong to any registered client.'],
    };
  if (!q['redirect_uri'] || !client.redirect_uris.includes(q['redirect_uri'])) {
    return {
      error: [
        'Invalid Redirect Uri',
        'The redirect_uri does not match any redirect URI registered for the client.',
      ],
    };
  }
  if (q['response_type'] !== 'code')
    return { error: ['Invalid Response Type', 'response_type must be "code".'] };
  const method = q['code_challenge_method'];
  if (method !== undefined && method !== 'S256' && method !== 'plain')
    return { error: ['Invalid Code Challenge Method', 'code_challenge_method must be "S256" or "plain".'] };
  const scopes = splitScopes(q['scope'] ?? '');
  const bad = scopes.filter((s) => !isKnownScope(s));
  if (scopes.length === 0 || bad.length)
    return { error: ['Invalid OAuth Scope', `Unknown or missing scope: ${bad.join(', ') || '(none)'}`] };
  return { client, scopes };
}

function signedInUser(core: SandboxCore, req: FastifyRequest) {
  const raw = req.cookies[SESSION_COOKIE];
  if (!raw) return undefined;
  const unsigned = req.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? core.state.users[unsigned.value] : undefined;
}

function usersForSignIn(core: SandboxCore) {
  return Object.values(core.state.users).flatMap((user) => {
    const org = core.state.orgs[user.org_id];
    return org ? [{ user, org }] : [];
  });
}

function merged(req: FastifyRequest): Form {
  return { ...(req.query as Form), ...((req.body as Form | undefined) ?? {}) };
}

export function registerAccounts(app: FastifyInstance, core: SandboxCore, dc: DataCenter): void {
  const base = `/${dc}/accounts`;
  const authPath = `${base}/oauth/v2/auth`;

  const showAuth = (req: FastifyRequest, reply: FastifyReply, q: Form) => {
    const checked = validateAuthRequest(core, q);
    if ('error' in checked)
      return reply
        .code(400)
        .type('text/html')
        .send(errorPage(...checked.error));
    const params = pickAuthParams(q);
    const user = signedInUser(core, req);
    const org = user ? core.state.orgs[user.org_id] : undefined;
    if (!user || !org)
      return reply.type('text/html').send(signInPage(`${authPath}/signin`, params, usersForSignIn(core)));
    return reply.type('text/html').send(
      consentPage(`${authPath}/decision`, params, {
        client: checked.client,
        user,
        org,
        scopes: checked.scopes,
      }),
    );
  };

  app.get(authPath, (req, reply) => showAuth(req, reply, req.query as Form));

  app.post(`${authPath}/signin`, (req, reply) => {
    const form = req.body as Form;
    const user = findUserByEmail(core, form['email'] ?? '');
    if (user?.status !== 'active') {
      return reply
        .code(401)
        .type('text/html')
        .send(
          signInPage(
            `${authPath}/signin`,
            pickAuthParams(form),
            usersForSignIn(core),
            'No sandbox user has this email address.',
          ),
        );
    }
    reply.setCookie(SESSION_COOKIE, user.id, { path: '/', httpOnly: true, sameSite: 'lax', signed: true });
    return reply.redirect(`${authPath}?${new URLSearchParams(pickAuthParams(form))}`, 303);
  });

  app.post(`${authPath}/decision`, (req, reply) => {
    const form = req.body as Form;
    const checked = validateAuthRequest(core, form);
    if ('error' in checked)
      return reply
        .code(400)
        .type('text/html')
        .send(errorPage(...checked.error));
    const user = signedInUser(core, req);
    const org = user ? core.state.orgs[user.org_id] : undefined;
    if (!user || !org) return showAuth(req, reply, form);
    const target = new URL(form['redirect_uri']!);
    // An org that blocks third-party apps never yields a code, whatever was posted.
    if (org.third_party_apps_blocked) {
      target.searchParams.set('error', 'unauthorized_client');
      if (form['state'] !== undefined) target.searchParams.set('state', form['state']);
      return reply.redirect(target.toString(), 302);
    }
    if (form['decision'] !== 'accept') {
      target.searchParams.set('error', 'access_denied');
      if (form['state'] !== undefined) target.searchParams.set('state', form['state']);
      return reply.redirect(target.toString(), 302);
    }
    if (!checked.client.multi_dc && checked.client.home_dc !== org.data_center) {
      return reply
        .code(400)
        .type('text/html')
        .send(errorPage('Multi-DC not enabled', 'This client is not enabled for users of your data centre.'));
    }
    const code = issueCode(core, {
      client_id: checked.client.client_id,
      user_id: user.id,
      dc: org.data_center,
      scopes: checked.scopes,
      redirect_uri: form['redirect_uri']!,
      // Without both, Zoho returns no refresh token (ZOHO-API.md §2).
      offline: form['access_type'] === 'offline' && form['prompt'] === 'consent',
      ttl_ms: WEB_CODE_TTL_MS,
      ...(form['code_challenge']
        ? {
            code_challenge: form['code_challenge'],
            // RFC 7636: without a method, the challenge is the verifier itself.
            code_challenge_method:
              form['code_challenge_method'] === 'S256' ? ('S256' as const) : ('plain' as const),
          }
        : {}),
    });
    if (form['state'] !== undefined) target.searchParams.set('state', form['state']);
    target.searchParams.set('code', code);
    target.searchParams.set('location', org.data_center);
    target.searchParams.set('accounts-server', core.accountsUrl(org.data_center));
    return reply.redirect(target.toString(), 302);
  });

  app.post(`${base}/oauth/v2/token`, (req, reply) => {
    const form = merged(req);
    const grant = form['grant_type'];
    const result =
      grant === 'authorization_code'
        ? exchangeCode(core, dc, form)
        : grant === 'refresh_token'
          ? refresh(core, dc, form)
          : { reply: tokenErrors.unsupportedGrant() };
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

  app.post(`${base}/oauth/v2/token/revoke`, (req, reply) => {
    const token = merged(req)['token'] ?? '';
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

export function issueCode(
  core: SandboxCore,
  grant: {
    client_id: string;
    user_id: string;
    dc: DataCenter;
    scopes: string[];
    redirect_uri: string | null;
    offline: boolean;
    ttl_ms: number;
    code_challenge?: string;
    code_challenge_method?: 'S256' | 'plain';
  },
): string {
  const code = newToken();
  const now = core.now();
  core.state.codes[hashToken(code)] = {
    client_id: grant.client_id,
    user_id: grant.user_id,
    dc: grant.dc,
    scopes: grant.scopes,
    redirect_uri: grant.redirect_uri,
    offline: grant.offline,
    ...(grant.code_challenge
      ? {
          code_challenge: grant.code_challenge,
          code_challenge_method: grant.code_challenge_method ?? 'plain',
        }
      : {}),
    issued_ms: now,
    expires_ms: now + grant.ttl_ms,
    used: false,
  };
  core.changed();
  return code;
}

interface GrantResult {
  reply: TokenReply;
  orgId?: string;
  userId?: string;
}

function exchangeCode(core: SandboxCore, dc: DataCenter, form: Form): GrantResult {
  const checked = checkClient(core, form['client_id'], form['client_secret'], dc);
  if ('error' in checked) return { reply: checked.error };
  const hash = hashToken(form['code'] ?? '');
  const code = core.state.codes[hash];
  const user = code ? core.state.users[code.user_id] : undefined;
  const ids = user ? { orgId: user.org_id, userId: user.id } : {};
  // A used, expired or foreign code, or one taken to another data centre: all `invalid_code`.
  if (
    !code ||
    !user ||
    code.used ||
    code.client_id !== checked.client.client_id ||
    code.dc !== dc ||
    code.expires_ms <= core.now()
  ) {
    return { reply: tokenErrors.invalidCode(), ...ids };
  }
  if (code.redirect_uri !== null && form['redirect_uri'] !== code.redirect_uri)
    return { reply: tokenErrors.invalidRedirectUri(), ...ids };
  // A wrong or missing PKCE verifier is refused like any bad code, and leaves the code usable.
  if (code.code_challenge && !pkceMatches(code, form['code_verifier']))
    return { reply: tokenErrors.invalidCode(), ...ids };
  code.used = true;
  const grant = { client_id: code.client_id, user_id: code.user_id, dc, scopes: code.scopes };
  const refreshToken = code.offline ? mintRefreshToken(core, grant) : undefined;
  const { token } = mintAccessToken(core, grant, refreshToken ? hashToken(refreshToken) : null);
  return { reply: tokenSuccess(core, token, refreshToken, dc, code.scopes), ...ids };
}

function refresh(core: SandboxCore, dc: DataCenter, form: Form): GrantResult {
  const checked = checkClient(core, form['client_id'], form['client_secret'], dc);
  if ('error' in checked) return { reply: checked.error };
  const hash = hashToken(form['refresh_token'] ?? '');
  const rt = core.state.refresh_tokens[hash];
  const user = rt ? core.state.users[rt.user_id] : undefined;
  const ids = user ? { orgId: user.org_id, userId: user.id } : {};
  if (!rt || !user || rt.client_id !== checked.client.client_id || rt.dc !== dc)
    return { reply: tokenErrors.invalidCode(), ...ids };
  if (!canRefresh(core, rt)) return { reply: tokenErrors.tooManyRefreshes(), ...ids };
  rt.mints_ms.push(core.now());
  const { token } = mintAccessToken(
    core,
    { client_id: rt.client_id, user_id: rt.user_id, dc, scopes: rt.scopes },
    hash,
  );
  const reply = tokenSuccess(core, token, undefined, dc, rt.scopes);
  // The refresh reply may omit api_domain (ZOHO-API.md §2): clients must keep the stored one.
  delete reply.body['api_domain'];
  return { reply, ...ids };
}

function pkceMatches(code: GrantCode, verifier: string | undefined): boolean {
  if (!verifier) return false;
  const expected =
    code.code_challenge_method === 'S256'
      ? crypto.createHash('sha256').update(verifier).digest('base64url')
      : verifier;
  return expected === code.code_challenge;
}
