import { z } from 'zod';
import type { DataCentre, DataCentres } from './datacentres.ts';
import { accountsError, ZohoError } from './errors.ts';
import { noRedirects, refuseRedirect } from './redirects.ts';

/**
 * Zoho Accounts (OAuth 2.0): the authorization URL, code exchange, refresh and revoke. The
 * accounts server for exchange, refresh and revoke is always one of the known data centres,
 * since the client secret is posted to it.
 */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export type Fetch = typeof fetch;

export interface ZohoAccountsDeps {
  client: OAuthClient;
  dataCentres: DataCentres;
  fetch?: Fetch;
  timeoutMs?: number;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | undefined;
  /** Undefined when Zoho omitted it (refresh replies may): keep the stored one. */
  apiDomain: string | undefined;
  expiresInSeconds: number;
  scope: string | undefined;
}

// Any reply without access_token is a failure, whatever its HTTP status (ZOHO-API.md §2).
const tokenReply = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  api_domain: z.string().url().optional(),
  expires_in: z.coerce.number().int().positive(),
  scope: z.string().optional(),
});

export function createZohoAccounts(deps: ZohoAccountsDeps) {
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const { client } = deps;

  async function post(dc: DataCentre, path: string, form: Record<string, string>, what: string) {
    const url = `${dc.accountsServer}${path}`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        body: new URLSearchParams(form),
        signal: AbortSignal.timeout(timeoutMs),
        // The form holds the client secret and a grant code or refresh token.
        ...noRedirects,
      });
    } catch (cause) {
      throw new ZohoError('transient', `Zoho Accounts ${what}: ${(cause as Error).name}`, { cause });
    }
    const text = await res.text();
    refuseRedirect(res, url, `Zoho Accounts ${what}`);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  }

  async function token(dc: DataCentre, form: Record<string, string>, what: string): Promise<TokenSet> {
    const { status, body } = await post(dc, '/oauth/v2/token', form, what);
    const parsed = tokenReply.safeParse(body);
    if (!parsed.success) throw accountsError(status, body, what);
    const t = parsed.data;
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      apiDomain: t.api_domain,
      expiresInSeconds: t.expires_in,
      scope: t.scope,
    };
  }

  return {
    /**
     * `access_type=offline` and `prompt=consent` together, or Zoho returns no refresh token.
     * PKCE (S256) as well: Zoho documents it; a server that ignores it loses nothing.
     */
    authorizationUrl(input: { state: string; scopes: readonly string[]; codeChallenge: string }): string {
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        scope: input.scopes.join(','),
        redirect_uri: client.redirectUri,
        state: input.state,
        access_type: 'offline',
        prompt: 'consent',
        code_challenge: input.codeChallenge,
        code_challenge_method: 'S256',
      });
      return `${deps.dataCentres.authorizeServer}/oauth/v2/auth?${params}`;
    },

    exchangeCode(dc: DataCentre, code: string, codeVerifier: string): Promise<TokenSet> {
      return token(
        dc,
        {
          grant_type: 'authorization_code',
          client_id: client.clientId,
          client_secret: client.clientSecret,
          redirect_uri: client.redirectUri,
          code,
          code_verifier: codeVerifier,
        },
        'code exchange',
      );
    },

    refresh(dc: DataCentre, refreshToken: string): Promise<TokenSet> {
      return token(
        dc,
        {
          grant_type: 'refresh_token',
          client_id: client.clientId,
          client_secret: client.clientSecret,
          refresh_token: refreshToken,
        },
        'refresh',
      );
    },

    /** Revoking the refresh token also ends every access token minted from it. */
    async revoke(dc: DataCentre, refreshToken: string): Promise<void> {
      const { status, body } = await post(
        dc,
        `/oauth/v2/token/revoke?${new URLSearchParams({ token: refreshToken })}`,
        {},
        'revoke',
      );
      if (status >= 400 || (body as { error?: unknown } | undefined)?.error)
        throw accountsError(status, body, 'revoke');
    },
  };
}

export type ZohoAccounts = ReturnType<typeof createZohoAccounts>;
