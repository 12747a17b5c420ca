import crypto from 'node:crypto';
import type { SandboxCore } from '../core.ts';
import type { DataCenter } from '../dc.ts';
import { hashToken, newToken } from '../ids.ts';
import type { GrantCode } from '../state.ts';
import {
  checkClient,
  grantCodeRoom,
  mintAccessToken,
  mintRefreshToken,
  type TokenReply,
  takeRefresh,
  tokenErrors,
  tokenSuccess,
} from './tokens.ts';

/** Grant codes and the token endpoint's two grants: what each returns, not how it is sent. */
export type Params = Record<string, string | undefined>;

/** What a grant code is issued for: the code's own fields, with its lifetime still to run. */
export type CodeRequest = Omit<GrantCode, 'issued_ms' | 'expires_ms' | 'used'> & { ttl_ms: number };

/**
 * A new grant code, or the moment the client may have one again: Zoho gives a client at most
 * 10 grant codes in a span of ten minutes, then "access_denied" for the remaining time.
 */
export function issueCode(core: SandboxCore, grant: CodeRequest): { code: string } | { until_ms: number } {
  const room = grantCodeRoom(core, grant.client_id);
  if (!room.ok) return { until_ms: room.until_ms };
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
  return { code };
}

export interface GrantResult {
  reply: TokenReply;
  orgId?: string;
  userId?: string;
}

export function exchangeCode(core: SandboxCore, dc: DataCenter, form: Params): GrantResult {
  const checked = checkClient(core, form['client_id'], form['client_secret'], dc);
  if ('error' in checked) return { reply: checked.error };
  const code = core.state.codes[hashToken(form['code'] ?? '')];
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

/** The refresh reply lists api_domain, like the code exchange's, and never a refresh_token. */
export function refresh(core: SandboxCore, dc: DataCenter, form: Params): GrantResult {
  const checked = checkClient(core, form['client_id'], form['client_secret'], dc);
  if ('error' in checked) return { reply: checked.error };
  const hash = hashToken(form['refresh_token'] ?? '');
  const rt = core.state.refresh_tokens[hash];
  const user = rt ? core.state.users[rt.user_id] : undefined;
  const ids = user ? { orgId: user.org_id, userId: user.id } : {};
  if (!rt || !user || rt.client_id !== checked.client.client_id || rt.dc !== dc)
    return { reply: tokenErrors.invalidCode(), ...ids };
  if (!takeRefresh(core, rt)) return { reply: tokenErrors.tooManyRefreshes(), ...ids };
  const { token } = mintAccessToken(
    core,
    { client_id: rt.client_id, user_id: rt.user_id, dc, scopes: rt.scopes },
    hash,
  );
  return { reply: tokenSuccess(core, token, undefined, dc, rt.scopes), ...ids };
}

function pkceMatches(code: GrantCode, verifier: string | undefined): boolean {
  if (!verifier) return false;
  const expected =
    code.code_challenge_method === 'S256'
      ? crypto.createHash('sha256').update(verifier).digest('base64url')
      : verifier;
  return expected === code.code_challenge;
}
