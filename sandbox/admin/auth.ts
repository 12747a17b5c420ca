import type { FastifyInstance } from 'fastify';
import { issueCode } from '../accounts/grants.ts';
import { deleteRefreshToken } from '../accounts/tokens.ts';
import type { SandboxCore } from '../core.ts';
import { newClientId, newSecret } from '../ids.ts';
import { findUserByEmail } from '../orgs.ts';
import { isKnownScope, splitScopes } from '../scopes.ts';
import type { SbClient } from '../state.ts';
import { AdminError, orgOr404, parseBody } from './common.ts';
import { clientSchema, selfClientSchema } from './schemas.ts';

type P = Record<string, string>;

export function registerClient(
  core: SandboxCore,
  input: Omit<SbClient, 'client_id' | 'client_secret'> &
    Partial<Pick<SbClient, 'client_id' | 'client_secret'>>,
): SbClient {
  const client: SbClient = {
    ...input,
    client_id: input.client_id ?? newClientId(),
    client_secret: input.client_secret ?? newSecret(),
  };
  core.state.clients[client.client_id] = client;
  core.changed();
  return client;
}

/** The console's refusal of an 11th code within the span: 429, saying when codes come again. */
function throttledCodes(untilMs: number, now: number): AdminError {
  const retryAfter = Math.ceil((untilMs - now) / 1000);
  return new AdminError(
    429,
    `access_denied: this client was given 10 grant codes in the last ten minutes; try again in ${retryAfter} s`,
    [{ error: 'access_denied', retry_after_seconds: retryAfter, retry_at: new Date(untilMs).toISOString() }],
  );
}

export function registerAuthAdmin(app: FastifyInstance, core: SandboxCore): void {
  // The API console: register a server-based client with its redirect URIs.
  app.post('/__sandbox/clients', (req, reply) => {
    const input = parseBody(clientSchema, req.body);
    const client = registerClient(core, { ...input, self_client: false });
    return reply.code(201).send(client);
  });

  app.get('/__sandbox/clients', () => ({ clients: Object.values(core.state.clients) }));

  // The API console's "Self Client": a grant code for given scopes, no browser involved.
  app.post('/__sandbox/self-client', (req, reply) => {
    const input = parseBody(selfClientSchema, req.body);
    const org = orgOr404(core, input.org_id);
    const user = findUserByEmail(core, input.user_email);
    if (!user || user.org_id !== org.id)
      throw new AdminError(400, `no user ${input.user_email} in org ${org.id}`);
    const scopes = splitScopes(input.scope);
    const unknown = scopes.filter((s) => !isKnownScope(s));
    if (unknown.length) throw new AdminError(400, `unknown scope: ${unknown.join(', ')}`);
    const client =
      Object.values(core.state.clients).find((c) => c.self_client && c.name === `Self Client ${org.id}`) ??
      registerClient(core, {
        name: `Self Client ${org.id}`,
        redirect_uris: [],
        home_dc: org.data_center,
        multi_dc: false,
        self_client: true,
      });
    const issued = issueCode(core, {
      client_id: client.client_id,
      user_id: user.id,
      dc: org.data_center,
      scopes,
      redirect_uri: null,
      offline: true,
      ttl_ms: input.expiry_minutes * 60_000,
    });
    // Zoho: 10 grant codes per client in a span of ten minutes, then "access_denied" for the rest.
    if (!('code' in issued)) throw throttledCodes(issued.until_ms, core.now());
    return reply.code(201).send({
      client_id: client.client_id,
      client_secret: client.client_secret,
      code: issued.code,
      accounts_url: core.accountsUrl(org.data_center),
    });
  });

  // What a user does under "Connected apps" in their Zoho account: revoke every grant.
  app.post('/__sandbox/orgs/:org_id/revoke-tokens', (req) => {
    const org = orgOr404(core, (req.params as P)['org_id']);
    const body = (req.body ?? {}) as { user_email?: string; client_id?: string };
    const user = body.user_email ? findUserByEmail(core, body.user_email) : undefined;
    let revoked = 0;
    for (const [hash, rt] of Object.entries(core.state.refresh_tokens)) {
      const owner = core.state.users[rt.user_id];
      if (
        owner?.org_id !== org.id ||
        (user && user.id !== rt.user_id) ||
        (body.client_id && body.client_id !== rt.client_id)
      )
        continue;
      deleteRefreshToken(core, hash);
      revoked += 1;
    }
    return { revoked };
  });
}
