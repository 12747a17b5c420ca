import crypto from 'node:crypto';
import type { Vault } from '../crypto/vault.ts';
import type { Database } from '../db/port.ts';
import { lockAllTokens, rewriteSealed } from './repo.ts';

/**
 * Re-encrypts every sealed value under the vault's first key, in one transaction, so an old
 * key can then be removed from TOKEN_ENCRYPTION_KEYS. Values already under the first key are
 * left alone; a value no configured key opens stops the whole run (nothing is half done).
 */
export async function resealAll(db: Database, vault: Vault): Promise<{ resealed: number; current: number }> {
  return db.transaction(async (tx) => {
    let resealed = 0;
    let current = 0;
    const reseal = (sealed: string, context: string) =>
      vault.keyIdOf(sealed) === vault.primaryKeyId
        ? sealed
        : vault.seal(vault.open(sealed, context), context);

    for (const t of await lockAllTokens(tx)) {
      const values = [t.refreshToken, t.accessToken].filter((v): v is string => v !== null);
      if (values.every((v) => vault.keyIdOf(v) === vault.primaryKeyId)) {
        current += values.length;
        continue;
      }
      await rewriteSealed(tx, {
        connectionId: t.connectionId,
        refreshToken: reseal(t.refreshToken, t.connectionId),
        accessToken: t.accessToken === null ? null : reseal(t.accessToken, t.connectionId),
      });
      resealed += values.length;
    }

    const states = await tx.query<{ state_hash: string; code_verifier: string }>(
      'SELECT state_hash, code_verifier FROM oauth_states FOR UPDATE',
    );
    for (const s of states.rows) {
      if (vault.keyIdOf(s.code_verifier) === vault.primaryKeyId) {
        current += 1;
        continue;
      }
      await tx.query('UPDATE oauth_states SET code_verifier = $2 WHERE state_hash = $1', [
        s.state_hash,
        reseal(s.code_verifier, s.state_hash),
      ]);
      resealed += 1;
    }
    return { resealed, current };
  });
}

/** A new key entry for TOKEN_ENCRYPTION_KEYS. */
export function newKeyEntry(now = new Date()): string {
  const id = `k${now.toISOString().slice(0, 10).replaceAll('-', '')}${crypto.randomBytes(2).toString('hex')}`;
  return `${id}:${crypto.randomBytes(32).toString('base64')}`;
}
