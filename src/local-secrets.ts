import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from './config.ts';
import type { VaultKey } from './crypto/vault.ts';
import { ensurePrivateDir, privateFileMode, tightenTree } from './files/private-dir.ts';

/**
 * Sandbox mode only: secrets generated on first start into the data folder (mode 0600), so
 * the demo works with no configuration and keeps working across restarts. Production sets
 * TOKEN_ENCRYPTION_KEYS and a real Zoho client instead; a key beside the data it protects
 * is a convenience for the demo, not protection.
 */
const fileSchema = z.object({
  token_key_id: z.string(),
  token_key: z.string(),
  sandbox_client_id: z.string(),
  sandbox_client_secret: z.string(),
  // Added after the first release of this file: created on the next start when missing.
  events_signing_secret: z.string().optional(),
});

export interface LocalSecrets {
  tokenKey: VaultKey;
  sandboxClient: { clientId: string; clientSecret: string };
  eventsSecret: string;
  /** True when this start created the file. */
  created: boolean;
  file: string;
}

export function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, 'local-secrets.json');
  let created = false;
  // Also reached from `npm run keys`, which sets no umask: the modes are explicit.
  ensurePrivateDir(dataDir);
  tightenTree(file);
  if (!fs.existsSync(file)) {
    const fresh = {
      token_key_id: `local${crypto.randomBytes(3).toString('hex')}`,
      token_key: crypto.randomBytes(32).toString('base64'),
      sandbox_client_id: `1000.${crypto.randomBytes(15).toString('hex').toUpperCase()}`,
      sandbox_client_secret: crypto.randomBytes(21).toString('hex'),
    };
    fs.writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: privateFileMode, flag: 'wx' });
    created = true;
  }
  const s = fileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!s.events_signing_secret) {
    s.events_signing_secret = `whsec_${crypto.randomBytes(24).toString('hex')}`;
    fs.writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`, { mode: privateFileMode });
  }
  return {
    tokenKey: { id: s.token_key_id, key: Buffer.from(s.token_key, 'base64') },
    sandboxClient: { clientId: s.sandbox_client_id, clientSecret: s.sandbox_client_secret },
    eventsSecret: s.events_signing_secret,
    created,
    file,
  };
}

/**
 * The token keys in force. Sandbox mode always keeps its generated key for opening, so a demo
 * data folder moves to configured keys with `npm run keys -- rotate`.
 */
export function vaultKeysFor(config: Pick<Config, 'tokenKeys' | 'zoho' | 'dataDir'>): VaultKey[] {
  const configured = [...(config.tokenKeys ?? [])];
  if (config.zoho.mode !== 'sandbox') return configured;
  const local = loadOrCreateLocalSecrets(config.dataDir).tokenKey;
  return configured.some((k) => k.id === local.id) ? configured : [...configured, local];
}
