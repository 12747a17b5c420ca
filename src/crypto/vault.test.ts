import { describe, expect, it } from 'vitest';
import { createVault, newVaultKey } from './vault.ts';

describe('token vault', () => {
  const k1 = newVaultKey('k1');
  const k2 = newVaultKey('k2');

  it('seals with a random IV per value and opens with the same context', () => {
    const vault = createVault([k1]);
    const a = vault.seal('1000.secret-token', 'conn_1');
    const b = vault.seal('1000.secret-token', 'conn_1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret-token');
    expect(a.startsWith('v1.k1.')).toBe(true);
    expect(vault.open(a, 'conn_1')).toBe('1000.secret-token');
  });

  it('refuses a value moved to another connection (additional authenticated data)', () => {
    const vault = createVault([k1]);
    expect(() => vault.open(vault.seal('t', 'conn_1'), 'conn_2')).toThrow(/failed authentication/);
  });

  it('refuses an altered value', () => {
    const vault = createVault([k1]);
    const sealed = vault.seal('token-value', 'c');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0]! ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => vault.open(parts.join('.'), 'c')).toThrow(/failed authentication/);
  });

  it('seals with the first key and still opens values sealed with an older one', () => {
    const old = createVault([k1]).seal('t', 'c');
    const rotated = createVault([k2, k1]);
    expect(rotated.open(old, 'c')).toBe('t');
    expect(rotated.keyIdOf(rotated.seal('t', 'c'))).toBe('k2');
    expect(() => createVault([k2]).open(old, 'c')).toThrow(/key "k1", which is not configured/);
  });
});

describe('token vault tag length', () => {
  it('refuses a value whose authentication tag was truncated', () => {
    const vault = createVault([newVaultKey('k')]);
    const [v, id, iv, body] = vault.seal('token-value', 'c').split('.');
    const short = Buffer.from(body!, 'base64url').subarray(0, -12).toString('base64url');
    expect(() => vault.open([v, id, iv, short].join('.'), 'c')).toThrow(/failed authentication|truncated/);
  });
});
