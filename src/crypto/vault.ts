import crypto from 'node:crypto';
import { AppError } from '../errors.ts';

/**
 * AES-256-GCM for values at rest (OAuth tokens, PKCE verifiers). Each value gets a random
 * 96-bit IV and names the key that sealed it, so keys can rotate: the first key seals, every
 * configured key opens. The caller's context (the connection id) is bound as additional
 * authenticated data, so a value copied onto another row fails to open.
 */
export interface VaultKey {
  id: string;
  key: Buffer;
}

/** What token code needs from the vault. */
export type VaultLike = Pick<Vault, 'seal' | 'open'>;

export interface Vault {
  readonly primaryKeyId: string;
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
  /** The id of the key that sealed `sealed`, without opening it. */
  keyIdOf(sealed: string): string;
}

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export function createVault(keys: readonly VaultKey[]): Vault {
  const primary = keys[0];
  if (!primary) throw new AppError('config_invalid', 'At least one token encryption key is required');
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  return {
    primaryKeyId: primary.id,
    seal(plaintext, context) {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', primary.key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return [FORMAT, primary.id, iv.toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, context) {
      const [format, keyId, ivText, bodyText] = sealed.split('.');
      if (format !== FORMAT || !keyId || !ivText || !bodyText) throw sealedError('is not a sealed value');
      const key = byId.get(keyId);
      if (!key) throw sealedError(`was sealed with key "${keyId}", which is not configured`);
      const body = Buffer.from(bodyText, 'base64url');
      if (body.length < TAG_BYTES) throw sealedError('is truncated');
      // A full 16-byte tag only: GCM would otherwise accept a truncated one.
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(body.subarray(0, body.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch (cause) {
        throw sealedError('failed authentication (wrong key or context, or altered)', cause);
      }
    },
    keyIdOf(sealed) {
      return sealed.split('.')[1] ?? '';
    },
  };
}

function sealedError(what: string, cause?: unknown): AppError {
  return new AppError('internal', `Encrypted value ${what}`, cause === undefined ? {} : { cause });
}

/**
 * Parses `TOKEN_ENCRYPTION_KEYS`: comma-separated `<id>:<key>` pairs, the key being 32 bytes
 * as base64 (44 characters) or hex (64). Returns problems rather than throwing, for the
 * config loader to list with the others.
 */
export function parseVaultKeys(raw: string): { keys: VaultKey[]; problems: string[] } {
  const keys: VaultKey[] = [];
  const problems: string[] = [];
  for (const [i, entry] of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .entries()) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const text = colon > 0 ? entry.slice(colon + 1) : '';
    const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
    if (!KEY_ID.test(id))
      problems.push(`entry ${i + 1}: expected <id>:<key> with an id of letters, digits, - or _`);
    else if (key.length !== 32) problems.push(`key "${id}": must be 32 bytes (base64 or 64 hex digits)`);
    else if (keys.some((k) => k.id === id)) problems.push(`key "${id}": listed twice`);
    else keys.push({ id, key });
  }
  if (keys.length === 0 && problems.length === 0) problems.push('no key given');
  return { keys, problems };
}

export function newVaultKey(id: string): VaultKey {
  return { id, key: crypto.randomBytes(32) };
}

export const formatVaultKey = (k: VaultKey) => `${k.id}:${k.key.toString('base64')}`;
