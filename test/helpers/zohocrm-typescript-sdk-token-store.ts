import * as ZOHOCRMSDK from '@zohocrm/typescript-sdk-8.0';

/**
 * The SDK's documented custom persistence (its TokenStore interface), kept in memory and
 * behaving like its FileStore: rows matched by user signature, access token, grant token or
 * refresh token; what a token lacks filled from its row; a fresh token built from the row
 * when the SDK asks by id (it then uses that copy, refreshes it and saves it back).
 */

/** One saved token, as the SDK's FileStore keeps a row. */
export interface StoredToken {
  id: string;
  userName: string | null;
  clientId: string | null;
  clientSecret: string | null;
  refreshToken: string | null;
  accessToken: string | null;
  grantToken: string | null;
  /** Expiry in ms since the epoch, as text, by the SDK's own clock. */
  expiryTime: string | null;
  redirectUrl: string | null;
  apiDomain: string | null;
}

function snapshot(token: ZOHOCRMSDK.OAuthToken, id: string): StoredToken {
  // The SDK types these as always set; at run time they are undefined until known.
  const expiry: string | undefined = token.getExpiresIn();
  return {
    id,
    userName: token.getUserSignature()?.getName() ?? null,
    clientId: token.getClientId() ?? null,
    clientSecret: token.getClientSecret() ?? null,
    refreshToken: token.getRefreshToken() ?? null,
    accessToken: token.getAccessToken() ?? null,
    grantToken: token.getGrantToken() ?? null,
    expiryTime: expiry ?? null,
    redirectUrl: token.getRedirectURL() ?? null,
    apiDomain: token.getAPIDomain() ?? null,
  };
}

function toOAuthToken(row: StoredToken): ZOHOCRMSDK.OAuthToken {
  const token = new ZOHOCRMSDK.OAuthToken(
    row.clientId,
    row.clientSecret,
    row.grantToken,
    row.refreshToken,
    row.redirectUrl,
    row.id,
    row.accessToken,
    row.userName ? new ZOHOCRMSDK.UserSignature(row.userName) : null,
  );
  if (row.expiryTime) token.setExpiresIn(row.expiryTime);
  token.setAPIDomain(row.apiDomain);
  return token;
}

/** Fills what the SDK's token lacks from the stored row, as FileStore.setMergeData does. */
function mergeInto(token: ZOHOCRMSDK.OAuthToken, row: StoredToken): void {
  const expiry: string | undefined = token.getExpiresIn();
  if (token.getId() == null) token.setId(row.id);
  if (token.getUserSignature() == null && row.userName) {
    token.setUserSignature(new ZOHOCRMSDK.UserSignature(row.userName));
  }
  if (token.getClientId() == null && row.clientId) token.setClientId(row.clientId);
  if (token.getClientSecret() == null && row.clientSecret) token.setClientSecret(row.clientSecret);
  if (token.getRefreshToken() == null) token.setRefreshToken(row.refreshToken);
  if (token.getAccessToken() == null) token.setAccessToken(row.accessToken);
  if (token.getGrantToken() == null) token.setGrantToken(row.grantToken);
  if (expiry == null && row.expiryTime) token.setExpiresIn(row.expiryTime);
  if (token.getRedirectURL() == null) token.setRedirectURL(row.redirectUrl);
  if (token.getAPIDomain() == null) token.setAPIDomain(row.apiDomain);
}

/** The row FileStore.checkCondition would pick for this token. */
function matches(token: ZOHOCRMSDK.OAuthToken, row: StoredToken): boolean {
  const user = token.getUserSignature()?.getName();
  if (user) return user === row.userName;
  const access = token.getAccessToken();
  if (access && token.getClientId() == null && token.getClientSecret() == null) {
    return access === row.accessToken;
  }
  const grant = token.getGrantToken();
  const refresh = token.getRefreshToken();
  return (grant != null && grant === row.grantToken) || (refresh != null && refresh === row.refreshToken);
}

/**
 * The SDK's documented custom persistence (TokenStore), kept in memory: no token file next to
 * node_modules. `saves` lists every row the SDK saved, oldest first, so a test can see the
 * exchange and each refresh the SDK made on its own.
 */
export class MemoryTokenStore implements ZOHOCRMSDK.TokenStore.TokenStore {
  readonly saves: StoredToken[] = [];
  private readonly rows = new Map<string, StoredToken>();
  private nextId = 1;

  /** The token the SDK uses now (the last one it saved). */
  current(): StoredToken {
    const last = this.saves.at(-1);
    if (!last) throw new Error('the SDK has saved no token');
    return this.rows.get(last.id) ?? last;
  }

  async findToken(token: ZOHOCRMSDK.Token.Token): Promise<ZOHOCRMSDK.Token.Token | null> {
    if (!(token instanceof ZOHOCRMSDK.OAuthToken)) return null;
    const row = [...this.rows.values()].find((r) => matches(token, r));
    if (!row) return null;
    mergeInto(token, row);
    return token;
  }

  async findTokenById(id: string): Promise<ZOHOCRMSDK.Token.Token | null> {
    const row = this.rows.get(id);
    if (!row) throw new ZOHOCRMSDK.SDKException('TOKEN_STORE', `no token with id ${id}`);
    return toOAuthToken(row);
  }

  async saveToken(token: ZOHOCRMSDK.Token.Token): Promise<void> {
    if (!(token instanceof ZOHOCRMSDK.OAuthToken)) {
      throw new ZOHOCRMSDK.SDKException('TOKEN_STORE', 'only OAuth tokens are stored');
    }
    const known = token.getId();
    const existing = known ? this.rows.get(known) : [...this.rows.values()].find((r) => matches(token, r));
    if (existing) mergeInto(token, existing);
    const id = token.getId() ?? String(this.nextId++);
    token.setId(id);
    const row = snapshot(token, id);
    this.rows.set(id, row);
    this.saves.push(row);
  }

  async deleteToken(id: string): Promise<void> {
    this.rows.delete(id);
  }

  async getTokens(): Promise<ZOHOCRMSDK.Token.Token[]> {
    return [...this.rows.values()].map(toOAuthToken);
  }

  async deleteTokens(): Promise<void> {
    this.rows.clear();
  }
}
