import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { createLimiter } from './limiter.ts';
import { createZohoTransport, isHeavy } from './transport.ts';

describe('heavy Zoho calls', () => {
  it('are searches, lead conversions and writes of more than 10 records', () => {
    const data = (n: number) => ({ data: Array.from({ length: n }, () => ({})) });
    expect(isHeavy({ method: 'GET', path: '/Contacts/search' })).toBe(true);
    expect(isHeavy({ method: 'GET', path: '/Contacts/123' })).toBe(false);
    expect(isHeavy({ method: 'POST', path: '/Tasks', body: data(10) })).toBe(false);
    expect(isHeavy({ method: 'POST', path: '/Tasks', body: data(11) })).toBe(true);
    expect(isHeavy({ method: 'PUT', path: '/Deals', body: data(12) })).toBe(true);
    expect(isHeavy({ method: 'POST', path: '/Leads/1/actions/convert', body: data(1) })).toBe(true);
  });

  it('never run more than 10 at once for an org, while lighter calls use the rest of its limit', async () => {
    let inFlight = 0;
    let heavyInFlight = 0;
    let peak = 0;
    let heavyPeak = 0;
    let lightBesideHeavy = false;
    const waiting: Array<() => void> = [];
    const fakeFetch = async (url: URL | string | Request) => {
      const heavy = String(url).includes('/search');
      inFlight++;
      if (heavy) heavyInFlight++;
      else if (heavyInFlight > 0) lightBesideHeavy = true;
      peak = Math.max(peak, inFlight);
      heavyPeak = Math.max(heavyPeak, heavyInFlight);
      await new Promise<void>((resolve) => waiting.push(resolve));
      inFlight--;
      if (heavy) heavyInFlight--;
      return new Response(null, { status: 204 });
    };
    const transport = createZohoTransport({
      logger: createLogger({ level: 'silent' }),
      limiter: createLimiter(),
      fetch: fakeFetch as typeof fetch,
    });
    const auth = {
      get: async () => ({
        accessToken: 't',
        apiDomain: 'https://www.zohoapis.com',
        orgKey: 'org1',
        edition: 'ultimate',
      }),
    };
    const calls = [
      ...Array.from({ length: 30 }, () =>
        transport.request(auth, { method: 'GET', path: '/Contacts/search', query: { email: 'a@b.co' } }),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        transport.request(auth, { method: 'GET', path: `/Contacts/${i}` }),
      ),
    ];
    // Answer calls one by one as they arrive, until all have been answered.
    let answered = 0;
    while (answered < calls.length) {
      await new Promise((r) => setImmediate(r));
      const next = waiting.shift();
      if (next) {
        next();
        answered++;
      }
    }
    await Promise.all(calls);
    expect(heavyPeak).toBe(10);
    expect(peak).toBeLessThanOrEqual(25);
    expect(peak).toBeGreaterThan(10);
    expect(lightBesideHeavy).toBe(true);
  });
});

describe('slots a heavy call takes', () => {
  it("takes the heavy sub-limit's slot only where the org's own limit is above it", async () => {
    const keys: string[] = [];
    const local = createLimiter();
    const transport = createZohoTransport({
      logger: createLogger({ level: 'silent' }),
      limiter: {
        run(key, limit, fn) {
          keys.push(`${key} ${limit}`);
          return local.run(key, limit, fn);
        },
      },
      fetch: (async () => new Response(null, { status: 204 })) as typeof fetch,
    });
    const searchAt = (edition: string) =>
      transport.request(
        {
          get: async () => ({
            accessToken: 't',
            apiDomain: 'https://www.zohoapis.com',
            orgKey: edition,
            edition,
          }),
        },
        { method: 'GET', path: '/Contacts/search', query: { email: 'a@b.co' } },
      );
    for (const edition of ['free', 'standard', 'professional']) await searchAt(edition);
    // Free (5) and Standard (10): the org's slots already hold searches to at most 10 at once.
    expect(keys).toEqual(['free 5', 'standard 10', 'professional:heavy 10', 'professional 15']);
  });
});

describe('the claim fence before a create (R7, found by the soak)', () => {
  const setup = (fenceMs: number[], fenceError?: () => Error) => {
    let clock = 0;
    const order: string[] = [];
    const transport = createZohoTransport({
      logger: createLogger({ level: 'silent' }),
      limiter: createLimiter(),
      monotonicNow: () => clock,
      fetch: (async () => {
        order.push('send');
        return Response.json(
          { data: [{ code: 'SUCCESS', status: 'success', details: { id: '1' } }] },
          { status: 201 },
        );
      }) as unknown as typeof fetch,
    });
    const auth = {
      get: async () => ({ accessToken: 't', apiDomain: 'https://www.zohoapis.com', orgKey: 'org1' }),
      fence: async () => {
        const i = order.filter((o) => o === 'fence').length;
        order.push('fence');
        clock += fenceMs[i] ?? 0;
        const err = fenceError?.();
        if (err && i > 0) throw err;
      },
    };
    const create = () =>
      transport.request(auth, { method: 'POST', path: '/Contacts', body: { data: [{ Last_Name: 'X' }] } });
    return { order, create };
  };

  it('a fence answered at once is taken once, then the create is sent', async () => {
    const s = setup([5]);
    await s.create();
    expect(s.order).toEqual(['fence', 'send']);
  });

  it('a fence that came back late (the process stopped meanwhile) is taken again before sending', async () => {
    const s = setup([30_000, 3]);
    await s.create();
    expect(s.order).toEqual(['fence', 'fence', 'send']);
  });

  it('when the claim was taken over meanwhile, the second fence refuses and nothing is sent', async () => {
    const lost = new Error('claim lost');
    const s = setup([30_000, 3], () => lost);
    await expect(s.create()).rejects.toBe(lost);
    expect(s.order).toEqual(['fence', 'fence']);
  });

  it('a database slow every time does not stop the sync: after a few slow fences the create goes', async () => {
    const s = setup([5_000, 5_000, 5_000, 5_000, 5_000]);
    await s.create();
    expect(s.order).toEqual(['fence', 'fence', 'fence', 'fence', 'send']);
  });
});

describe('the requests the transport sends', () => {
  it('name PepoSmart as the user agent, and a failed connection by its error code', async () => {
    let seen: Headers | undefined;
    const transport = createZohoTransport({
      logger: createLogger({ level: 'silent' }),
      limiter: createLimiter(),
      retry: { attempts: 1 },
      http: async (_url, req) => {
        seen = new Headers(req.headers);
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      },
    });
    const auth = {
      get: async () => ({ accessToken: 't', apiDomain: 'https://www.zohoapis.com', orgKey: 'o' }),
    };
    await expect(transport.request(auth, { method: 'GET', path: '/users' })).rejects.toThrow(
      'Zoho CRM GET /users: Error (ECONNREFUSED)',
    );
    expect(seen?.get('user-agent')).toBe('PepoSmart-Zoho-CRM');
    expect(seen?.get('authorization')).toBe('Zoho-oauthtoken t');
  });
});
