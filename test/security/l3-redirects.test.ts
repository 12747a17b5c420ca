import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { createZohoAccounts } from '../../src/zoho/accounts.ts';
import { sandboxDataCentres } from '../../src/zoho/datacentres.ts';
import { ZohoError } from '../../src/zoho/errors.ts';
import { createLimiter } from '../../src/zoho/limiter.ts';
import { createZohoTransport } from '../../src/zoho/transport.ts';

/**
 * L3: a redirect from "Zoho" is never followed. Node's fetch follows a 307 by sending the same
 * method and body again — the client secret with a grant code or refresh token, or the access
 * token in the Authorization header — to wherever the Location points. Here one local server
 * plays Zoho and answers every request with a 307 to a second server, which records what
 * reaches it: nothing may.
 */
interface Hit {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function listen(handler: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const secret = 'l3-client-secret-0123456789abcdef';
const refreshToken = '1000.l3refreshtoken0123456789abcdef.0123456789abcdef';
const accessToken = '1000.l3accesstoken0123456789abcdef.0123456789abcdef';
const grantCode = '1000.l3grantcode0123456789abcdef.0123456789abcdef';

describe('L3: requests to Zoho never follow a redirect', () => {
  const elsewhere: Hit[] = [];
  const toZoho: Hit[] = [];
  let other: Awaited<ReturnType<typeof listen>>;
  let zoho: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    other = await listen((req, body, res) => {
      elsewhere.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          access_token: 'stolen',
          expires_in: 3600,
          api_domain: 'http://x.example',
          data: [],
        }),
      );
    });
    zoho = await listen((req, body, res) => {
      toZoho.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(307, { location: `${other.url}${req.url}` }).end();
    });
  });
  afterAll(async () => {
    await zoho?.close();
    await other?.close();
  });

  const dataCentres = () => sandboxDataCentres(`${zoho.url}/sandbox`);
  const accounts = () =>
    createZohoAccounts({
      client: { clientId: '1000.L3CLIENT', clientSecret: secret, redirectUri: 'http://127.0.0.1/cb' },
      dataCentres: dataCentres(),
    });
  const us = () => dataCentres().byId('us')!;

  async function refused(call: () => Promise<unknown>) {
    const before = toZoho.length;
    const err = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ZohoError);
    expect((err as ZohoError).kind).toBe('redirect');
    expect((err as ZohoError).retryable).toBe(false);
    expect((err as ZohoError).message).toMatch(/redirect/i);
    // Zoho's server was asked, once; nothing reached the other one.
    expect(toZoho.length).toBe(before + 1);
    expect(elsewhere).toEqual([]);
  }

  it('the code exchange: the client secret and grant code stay with Zoho', async () => {
    await refused(() => accounts().exchangeCode(us(), grantCode, 'verifier-0123456789'));
    expect(toZoho.at(-1)!.body).toContain(secret);
  });

  it('the token refresh: the client secret and refresh token stay with Zoho', async () => {
    await refused(() => accounts().refresh(us(), refreshToken));
  });

  it('the revoke on disconnect: the refresh token stays with Zoho', async () => {
    await refused(() => accounts().revoke(us(), refreshToken));
  });

  it.each(['GET', 'POST', 'PUT', 'DELETE'] as const)(
    'a CRM API %s: the access token stays with Zoho, and the call is not retried',
    async (method) => {
      const transport = createZohoTransport({
        logger: createLogger({ level: 'silent' }),
        limiter: createLimiter(),
        retry: { baseMs: 1, maxMs: 5 },
      });
      const auth = { get: async () => ({ accessToken, apiDomain: us().apiDomain, orgKey: 'org-l3' }) };
      await refused(() =>
        transport.request(auth, {
          method,
          path: '/Contacts',
          ...(method === 'GET' ? {} : { body: { data: [{ Last_Name: 'L3' }] } }),
        }),
      );
      expect(toZoho.at(-1)!.headers.authorization).toBe(`Zoho-oauthtoken ${accessToken}`);
    },
  );
});
