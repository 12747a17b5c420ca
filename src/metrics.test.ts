import { describe, expect, it } from 'vitest';
import { createMetrics, metricsAccess, zohoResource } from './metrics.ts';

describe('metrics', () => {
  it('a database that fails or hangs costs the scrape only its database gauges', async () => {
    for (const query of [
      () => Promise.reject(new Error('connection refused')),
      () => new Promise<never>(() => {}),
    ]) {
      const metrics = createMetrics({ query: query as never });
      metrics.zohoCall({ method: 'POST', path: '/Contacts', status: 201, seconds: 0.1 });
      const text = await metrics.registry.metrics();
      expect(text).toContain('peposmart_metrics_database_up 0');
      expect(text).toContain(
        'peposmart_zoho_api_calls_total{method="POST",resource="Contacts",status="201"} 1',
      );
      expect(text).not.toMatch(/^peposmart_sync_events\{/m);
    }
  });

  it('record ids in a path become :id', () => {
    expect(zohoResource('/Contacts/5725767000000412001/Notes')).toBe('Contacts/:id/Notes');
    expect(zohoResource('/Contacts/search?email=a@b.c')).toBe('Contacts/search');
    expect(zohoResource('/')).toBe('/');
  });

  it('the token is a bearer token (any case of the scheme); without one, open only in sandbox mode', () => {
    const check = metricsAccess('0123456789abcdef', false);
    expect(check('Bearer 0123456789abcdef')).toBe('allowed');
    expect(check('bearer 0123456789abcdef')).toBe('allowed');
    expect(check('Bearer 0123456789abcdeF')).toBe('unauthorized');
    expect(check(undefined)).toBe('unauthorized');
    expect(metricsAccess(undefined, true)(undefined)).toBe('allowed');
    expect(metricsAccess(undefined, false)('Bearer x')).toBe('disabled');
  });
});
