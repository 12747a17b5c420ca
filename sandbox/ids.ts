import crypto from 'node:crypto';

/** Tokens are kept only as hashes, so the sandbox's saved state holds no usable token. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Zoho's tokens look like `1000.<hex>.<hex>`. */
export function newToken(): string {
  return `1000.${crypto.randomBytes(16).toString('hex')}.${crypto.randomBytes(16).toString('hex')}`;
}

export function newSecret(bytes = 20): string {
  return crypto.randomBytes(bytes).toString('hex');
}

/** Client ids look like `1000.<32 upper-case alphanumerics>`. */
export function newClientId(): string {
  return `1000.${crypto.randomBytes(16).toString('hex').toUpperCase()}`;
}

/**
 * Record and user ids are 19-digit strings (ZOHO-API.md §4): beyond 2^53, so a client that
 * parses them as numbers corrupts them. Prefix per org, then a global sequence.
 */
export function recordId(orgPrefix: string, seq: number): string {
  return `${orgPrefix}${String(seq).padStart(19 - orgPrefix.length, '0')}`;
}
