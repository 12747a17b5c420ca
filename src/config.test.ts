import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { AppError } from './errors.ts';

const keyB64 = Buffer.alloc(32, 7).toString('base64');
const live = {
  TOKEN_ENCRYPTION_KEYS: `k1:${keyB64}`,
  AUTH_HANDOFF_SECRET: 'h'.repeat(40),
  EVENTS_SIGNING_SECRET: 'e'.repeat(40),
  PUBLIC_URL: 'https://crm.example.com',
};

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
    expect(loadConfig({ ...live, ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 'secret' }).zoho).toEqual({
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

  it('requires keys, a handoff secret and a public URL with a real Zoho client, naming each', () => {
    let error: unknown;
    try {
      loadConfig({ ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 'secret' });
    } catch (err) {
      error = err;
    }
    expect((error as AppError).details.map((d) => d.path).sort()).toEqual([
      'AUTH_HANDOFF_SECRET',
      'EVENTS_SIGNING_SECRET',
      'PUBLIC_URL',
      'TOKEN_ENCRYPTION_KEYS',
    ]);
  });

  it('parses token keys, first one sealing, and refuses short or malformed ones', () => {
    const hex = Buffer.alloc(32, 9).toString('hex');
    const c = loadConfig({ TOKEN_ENCRYPTION_KEYS: `new:${keyB64}, old:${hex}` });
    expect(c.tokenKeys?.map((k) => k.id)).toEqual(['new', 'old']);
    expect(c.tokenKeys?.[1]?.key.equals(Buffer.alloc(32, 9))).toBe(true);
    expect(() => loadConfig({ TOKEN_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(/32 bytes/);
    expect(() => loadConfig({ TOKEN_ENCRYPTION_KEYS: keyB64 })).toThrow(/<id>:<key>/);
  });

  // H1: ZOHO_SANDBOX_URL used to mean "sandbox mode", and with it a sign-in page that listed
  // every user of every workspace for anyone to pick, a handoff secret and Zoho client or not.
  it.each([
    ['the embedded demo: no Zoho client, no handoff secret', {}, { mode: 'demo' }],
    [
      'the embedded sandbox with a handoff secret',
      { AUTH_HANDOFF_SECRET: live.AUTH_HANDOFF_SECRET },
      { mode: 'handoff', secret: live.AUTH_HANDOFF_SECRET },
    ],
    [
      'a shared sandbox (ZOHO_SANDBOX_URL) with a handoff secret',
      {
        ZOHO_SANDBOX_URL: 'http://127.0.0.1:4010',
        ZOHO_CLIENT_ID: 'id',
        ZOHO_CLIENT_SECRET: 'secret',
        AUTH_HANDOFF_SECRET: live.AUTH_HANDOFF_SECRET,
      },
      { mode: 'handoff', secret: live.AUTH_HANDOFF_SECRET },
    ],
    [
      'a shared sandbox without a handoff secret (nobody can sign in)',
      { ZOHO_SANDBOX_URL: 'http://127.0.0.1:4010', ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 'secret' },
      { mode: 'handoff', secret: undefined },
    ],
    [
      'a real Zoho client',
      { ...live, ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 'secret' },
      { mode: 'handoff', secret: live.AUTH_HANDOFF_SECRET },
    ],
  ])('H1: signs in by %s', (_, env, signIn) => {
    expect(loadConfig(env).signIn).toEqual(signIn);
  });

  it('derives the public URL from host and port unless PUBLIC_URL is set', () => {
    expect(loadConfig({ PORT: '3100' }).publicUrl).toBe('http://127.0.0.1:3100');
    expect(loadConfig({ PUBLIC_URL: 'https://crm.example.com' }).publicUrl).toBe('https://crm.example.com');
    expect(() => loadConfig({ PUBLIC_URL: 'https://crm.example.com/app' })).toThrow(/origin/);
  });
});
