import { loadConfig } from '../config.ts';
import { newKeyEntry, resealAll } from '../connections/reseal.ts';
import { createVault } from '../crypto/vault.ts';
import { openDatabase } from '../db/open.ts';
import { AppError } from '../errors.ts';
import { vaultKeysFor } from '../local-secrets.ts';

/**
 * `npm run keys -- new`: prints a fresh key entry for TOKEN_ENCRYPTION_KEYS.
 * `npm run keys -- rotate`: re-encrypts every stored token under the first configured key.
 * Rotation: put the new entry first (keep the old one after it), restart, run `rotate`,
 * then remove the old entry.
 */
const usage = 'usage: npm run keys -- new | rotate';

async function main(command: string | undefined): Promise<void> {
  if (command === 'new') {
    process.stdout.write(`${newKeyEntry()}\n`);
    return;
  }
  if (command !== 'rotate') throw new AppError('invalid_input', usage);
  const config = loadConfig(process.env);
  const vault = createVault(vaultKeysFor(config));
  const db = await openDatabase(config);
  try {
    const { resealed, current } = await resealAll(db, vault);
    process.stdout.write(
      `Re-encrypted ${resealed} value(s) under key "${vault.primaryKeyId}"; ${current} already used it.\n`,
    );
  } finally {
    await db.close();
  }
}

main(process.argv[2]).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
