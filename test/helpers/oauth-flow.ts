import type { CreatedOrg, SandboxClient } from './sandbox.ts';

/**
 * Zoho's authorization page driven over plain HTTP, as the conformance cases need it:
 * redirects are never followed and the session cookie is carried by hand, so every step's
 * status, Location and page can be checked. The browser test covers the same page for real.
 */
export interface Step {
  status: number;
  /** The Location header resolved against the request URL; null when there is none. */
  location: URL | null;
  contentType: string;
  html: string;
}

export class CookieBrowser {
  private readonly cookies = new Map<string, string>();

  get(url: string): Promise<Step> {
    return this.send(url, { method: 'GET' });
  }

  post(url: string, fields: Record<string, string>): Promise<Step> {
    return this.send(url, { method: 'POST', body: new URLSearchParams(fields) });
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** A cookie the test made itself (a session it created in the database). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private async send(url: string, init: RequestInit): Promise<Step> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const location = res.headers.get('location');
    return {
      status: res.status,
      location: location ? new URL(location, url) : null,
      contentType: res.headers.get('content-type') ?? '',
      html: await res.text(),
    };
  }
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const decodeEntities = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => entities[e]!);

/** The hidden fields of a sandbox page's form: what a browser would post back. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    fields[decodeEntities(m[1]!)] = decodeEntities(m[2]!);
  return fields;
}

/** The scopes listed on the consent page, in order. */
export function consentScopes(html: string): string[] {
  const list = /<ul class="scopes" id="scopes">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<code>([^<]*)<\/code>/g)].map((m) => decodeEntities(m[1]!));
}

export interface WebClient {
  client_id: string;
  client_secret: string;
  redirect_uri: string;
}

/** A server-based client registered in the API console, multi-DC as the product's is. */
export async function registerWebClient(
  client: SandboxClient,
  redirectUri = `https://app.example.com/oauth/${Math.random().toString(36).slice(2)}/callback`,
): Promise<WebClient> {
  const res = await client.json('POST', '/__sandbox/clients', {
    name: 'Conformance App',
    redirect_uris: [redirectUri],
  });
  if (res.status !== 201) throw new Error(`client registration failed: ${res.status} ${res.text}`);
  return { client_id: res.body.client_id, client_secret: res.body.client_secret, redirect_uri: redirectUri };
}

/** The query of an authorization request, with what a refresh token needs (ZOHO-API.md §2). */
export function authParams(
  app: Pick<WebClient, 'client_id' | 'redirect_uri'>,
  extra: { scope?: string; state?: string; offline?: boolean } = {},
): Record<string, string> {
  return {
    response_type: 'code',
    client_id: app.client_id,
    scope: extra.scope ?? 'ZohoCRM.modules.ALL,ZohoCRM.users.READ',
    redirect_uri: app.redirect_uri,
    state: extra.state ?? 'st-1',
    ...(extra.offline === false ? {} : { access_type: 'offline', prompt: 'consent' }),
  };
}

/** The multi-DC entry point: the US accounts server's authorize page, whatever the user's DC. */
export const authorizeUrl = (base: string, params: Record<string, string>, dc = 'us') =>
  `${base}/${dc}/accounts/oauth/v2/auth?${new URLSearchParams(params)}`;

/**
 * Signs `email` in and answers the consent page; returns where the accounts server
 * redirects (the application's redirect URI with the code or the error).
 */
export async function authorize(
  base: string,
  params: Record<string, string>,
  email: string,
  decision: 'accept' | 'deny' = 'accept',
  browser = new CookieBrowser(),
): Promise<URL> {
  const signIn = await browser.post(`${base}/us/accounts/oauth/v2/auth/signin`, { ...params, email });
  if (signIn.status !== 303 || !signIn.location) throw new Error(`sign-in failed: ${signIn.status}`);
  const consent = await browser.get(signIn.location.toString());
  if (consent.status !== 200) throw new Error(`no consent page: ${consent.status} ${consent.html}`);
  const done = await browser.post(`${base}/us/accounts/oauth/v2/auth/decision`, {
    ...hiddenFields(consent.html),
    decision,
  });
  if (done.status !== 302 || !done.location) throw new Error(`no redirect: ${done.status} ${done.html}`);
  return done.location;
}

/** A fresh grant code for the org's first user, through the authorization page. */
export async function webCode(
  client: SandboxClient,
  org: CreatedOrg,
  app: WebClient,
  extra: Parameters<typeof authParams>[1] = {},
): Promise<{ code: string; accountsServer: string }> {
  const back = await authorize(client.base, authParams(app, extra), org.users[0]!.email);
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code in ${back}`);
  return { code, accountsServer: back.searchParams.get('accounts-server')! };
}

/** Exchanges a web code at `accountsServer`. */
export function exchange(client: SandboxClient, accountsServer: string, app: WebClient, code: string) {
  return client.form(`${accountsServer}/oauth/v2/token`, {
    grant_type: 'authorization_code',
    client_id: app.client_id,
    client_secret: app.client_secret,
    redirect_uri: app.redirect_uri,
    code,
  });
}

/** A refresh at the token's accounts server. */
export function refresh(
  client: SandboxClient,
  tokens: { accounts_url: string; client_id: string; client_secret: string },
  refreshToken: string,
) {
  return client.form(`${tokens.accounts_url}/oauth/v2/token`, {
    grant_type: 'refresh_token',
    client_id: tokens.client_id,
    client_secret: tokens.client_secret,
    refresh_token: refreshToken,
  });
}
