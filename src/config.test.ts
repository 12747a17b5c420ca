import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { AppError } from './errors.ts';

describe('loadConfig', () => {
  it('defaults to the embedded database in ./data and port 3000', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(3000);
    expect(c.database).toEqual({ kind: 'pglite', dataDir: path.resolve('data', 'pglite') });
    expect(c.sandbox.port).toBe(4010);
    expect(Object.isFrozen(c.http)).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h/db',
    });
  });

  it('treats blank variables as unset, as a copied .env.example leaves them', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '  ' }).database.kind).toBe('pglite');
  });

  it('is in sandbox mode without a Zoho client and live with one; half a client is an error', () => {
    expect(loadConfig({}).zoho).toEqual({ mode: 'sandbox' });
    expect(loadConfig({ ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 'secret' }).zoho).toEqual({
      mode: 'live',
      clientId: 'id',
      clientSecret: 'secret',
    });
    expect(() => loadConfig({ ZOHO_CLIENT_ID: 'id' })).toThrow(/ZOHO_CLIENT_SECRET/);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        ZOHO_SANDBOX_PORT: '70000',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.code).toBe('config_invalid');
    expect(e.details.map((d) => d.path).sort()).toEqual([
      'DATABASE_URL',
      'LOG_LEVEL',
      'PORT',
      'ZOHO_SANDBOX_PORT',
    ]);
    expect(e.message).toContain('PORT');
    expect(e.message).toContain('DATABASE_URL');
  });
});
