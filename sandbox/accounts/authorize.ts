import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxCore } from '../core.ts';
import type { DataCenter } from '../dc.ts';
import { findUserByEmail } from '../orgs.ts';
import { isKnownScope, splitScopes } from '../scopes.ts';
import type { SbClient, SbOrg, SbUser } from '../state.ts';
import { type CodeRequest, issueCode, type Params } from './grants.ts';
import { crossOriginPage, fromAnotherOrigin, sessionUser, signOutPath, startSession } from './session.ts';
import { clientServes, sameRealm, WEB_CODE_TTL_MS } from './tokens.ts';
import { consentPage, errorPage, signInPage } from './views.ts';

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

export function pickAuthParams(source: Params): Record<string, string> {
  return Object.fromEntries(
    authParams.flatMap((k) => (source[k] === undefined ? [] : [[k, String(source[k])]])),
  );
}

/**
 * Checks what Zoho checks before showing consent; a bad client or redirect URI never
 * redirects. A client is known to this accounts server when it is registered on the same
 * side of China's separate deployment: the .com server never heard of a .com.cn client, and
 * the reverse (ZOHO-API.md §8).
 */
export function validateAuthRequest(
  core: SandboxCore,
  dc: DataCenter,
  q: Params,
): { client: SbClient; scopes: string[] } | { error: [string, string] } {
  const client = q['client_id'] ? core.state.clients[q['client_id']] : undefined;
  if (!client || !sameRealm(client.home_dc, dc))
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

/** The users this accounts server can sign in: everyone's but China's, or China's alone. */
function inRealm(core: SandboxCore, dc: DataCenter, user: SbUser | undefined) {
  const org = user ? core.state.orgs[user.org_id] : undefined;
  return user && org && sameRealm(org.data_center, dc) ? { user, org } : undefined;
}

/** The session's user, when this accounts server can sign them in. */
function signedIn(core: SandboxCore, dc: DataCenter, req: FastifyRequest) {
  return inRealm(core, dc, sessionUser(core, req)?.user);
}

function usersForSignIn(core: SandboxCore, dc: DataCenter): Array<{ user: SbUser; org: SbOrg }> {
  return Object.values(core.state.users).flatMap((user) => inRealm(core, dc, user) ?? []);
}

function redirectWithError(reply: FastifyReply, form: Params, error: string) {
  const target = new URL(form['redirect_uri']!);
  target.searchParams.set('error', error);
  if (form['state'] !== undefined) target.searchParams.set('state', form['state']);
  return reply.redirect(target.toString(), 302);
}

function codeRequest(
  client: SbClient,
  user: SbUser,
  org: SbOrg,
  scopes: string[],
  form: Params,
): CodeRequest {
  return {
    client_id: client.client_id,
    user_id: user.id,
    dc: org.data_center,
    scopes,
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
  };
}

export function registerAuthorize(app: FastifyInstance, core: SandboxCore, dc: DataCenter): void {
  const authPath = `/${dc}/accounts/oauth/v2/auth`;
  const signInPaths = { action: `${authPath}/signin`, authorize: authPath };
  const refuse = (reply: FastifyReply, error: [string, string]) =>
    reply
      .code(400)
      .type('text/html')
      .send(errorPage(...error));

  const showAuth = (req: FastifyRequest, reply: FastifyReply, q: Params) => {
    const checked = validateAuthRequest(core, dc, q);
    if ('error' in checked) return refuse(reply, checked.error);
    const params = pickAuthParams(q);
    const session = signedIn(core, dc, req);
    if (!session)
      return reply.type('text/html').send(signInPage(signInPaths, params, usersForSignIn(core, dc)));
    const view = { client: checked.client, ...session, scopes: checked.scopes };
    const paths = {
      decision: `${authPath}/decision`,
      signIn: `${authPath}/signin`,
      signOut: signOutPath(dc),
    };
    return reply.type('text/html').send(consentPage(paths, params, view));
  };

  app.get(authPath, (req, reply) => showAuth(req, reply, req.query as Params));

  // "Not you?": the sign-in step of the same request, whoever this browser is signed in as.
  // Nothing changes until someone signs in; until then the session stays the one it was.
  app.get(`${authPath}/signin`, (req, reply) => {
    const q = req.query as Params;
    const checked = validateAuthRequest(core, dc, q);
    if ('error' in checked) return refuse(reply, checked.error);
    const users = usersForSignIn(core, dc);
    const page = signInPage(signInPaths, pickAuthParams(q), users, undefined, signedIn(core, dc, req));
    return reply.type('text/html').send(page);
  });

  app.post(`${authPath}/signin`, (req, reply) => {
    if (fromAnotherOrigin(req)) return reply.code(403).type('text/html').send(crossOriginPage());
    const form = req.body as Params;
    const found = findUserByEmail(core, form['email'] ?? '');
    const session = inRealm(core, dc, found);
    if (session?.user.status !== 'active') {
      const message =
        found && !session
          ? // A Chinese-DC account is unknown to every other accounts server, and the reverse.
            'No account with this email address on this server: accounts of Zoho’s China data centre sign in at accounts.zoho.com.cn, everyone else’s at accounts.zoho.com.'
          : 'No sandbox user has this email address.';
      const page = signInPage(signInPaths, pickAuthParams(form), usersForSignIn(core, dc), message);
      return reply.code(401).type('text/html').send(page);
    }
    startSession(reply, session.user);
    return reply.redirect(`${authPath}?${new URLSearchParams(pickAuthParams(form))}`, 303);
  });

  app.post(`${authPath}/decision`, (req, reply) => {
    const form = req.body as Params;
    const checked = validateAuthRequest(core, dc, form);
    if ('error' in checked) return refuse(reply, checked.error);
    const session = signedIn(core, dc, req);
    if (!session) return showAuth(req, reply, form);
    const { user, org } = session;
    // An org that blocks third-party apps never yields a code, whatever was posted.
    if (org.third_party_apps_blocked) return redirectWithError(reply, form, 'unauthorized_client');
    if (form['decision'] !== 'accept') return redirectWithError(reply, form, 'access_denied');
    if (!clientServes(checked.client, org.data_center))
      return refuse(reply, [
        'Multi-DC not enabled',
        'This client is not enabled for users of your data centre.',
      ]);
    const issued = issueCode(core, codeRequest(checked.client, user, org, checked.scopes, form));
    // The 11th code in ten minutes: Zoho's "access_denied" for the rest of the span.
    if (!('code' in issued)) return redirectWithError(reply, form, 'access_denied');
    const target = new URL(form['redirect_uri']!);
    if (form['state'] !== undefined) target.searchParams.set('state', form['state']);
    target.searchParams.set('code', issued.code);
    target.searchParams.set('location', org.data_center);
    target.searchParams.set('accounts-server', core.accountsUrl(org.data_center));
    return reply.redirect(target.toString(), 302);
  });
}
