import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseKind } from '../helpers/db.ts';
import { registerSecret } from '../helpers/logs.ts';
import { useSandbox } from '../helpers/sandbox.ts';
import { handoffSecret, processTimeout, raw, type ServiceProcess, startService } from './auth-helpers.ts';

/**
 * L6: /metrics was open without METRICS_TOKEN whenever the service thought it was in sandbox
 * mode, ZOHO_SANDBOX_URL included (a production-like start). It is now closed (404) unless
 * METRICS_TOKEN is set (then only for its bearer) or the service is the embedded demo, which
 * test/e2e/npm-start.int.test.ts checks is still open.
 */
const sb = useSandbox();
const secret = handoffSecret();
const metricsToken = 'l6-metrics-token-0123456789abcdef';
registerSecret(metricsToken);

describe('L6: who may read /metrics of a started service', () => {
  let service: ServiceProcess | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  const sandboxShape = () => ({
    ZOHO_SANDBOX_URL: sb.base,
    ZOHO_CLIENT_ID: '1000.L6TESTCLIENT',
    ZOHO_CLIENT_SECRET: 'l6-test-client-secret',
  });

  const closed: Array<[string, 'all' | 'web', DatabaseKind, () => Record<string, string>]> = [
    [
      'npm start, ZOHO_SANDBOX_URL and a handoff secret',
      'all',
      'pglite',
      () => ({ ...sandboxShape(), AUTH_HANDOFF_SECRET: secret }),
    ],
    ['npm run web, ZOHO_SANDBOX_URL without a handoff secret', 'web', 'postgres', sandboxShape],
    [
      'npm start, the embedded sandbox but a handoff secret',
      'all',
      'pglite',
      () => ({ AUTH_HANDOFF_SECRET: secret }),
    ],
  ];

  it.each(closed)(
    '%s (%s, %s): closed without METRICS_TOKEN',
    { timeout: processTimeout },
    async (_, role, kind, env) => {
      service = await startService({ role, kind, env: env() });
      for (const authorization of [undefined, 'Bearer anything-at-all-0123456789']) {
        const res = await raw(`${service.url}/metrics`, authorization ? { headers: { authorization } } : {});
        expect(res.status, authorization ?? 'no header').toBe(404);
        expect(res.text).not.toContain('peposmart_');
      }
    },
  );

  it('npm start with ZOHO_SANDBOX_URL and METRICS_TOKEN: only for its bearer', {
    timeout: processTimeout,
  }, async () => {
    service = await startService({
      role: 'all',
      kind: 'postgres',
      env: { ...sandboxShape(), AUTH_HANDOFF_SECRET: secret, METRICS_TOKEN: metricsToken },
    });
    expect((await raw(`${service.url}/metrics`)).status).toBe(401);
    const ok = await raw(`${service.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('peposmart_connections');
  });
});
