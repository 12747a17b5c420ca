import fs from 'node:fs';
import path from 'node:path';

/**
 * DATA_DIR holds the embedded database (its WAL carries meeting content, sealed tokens and
 * session hashes), the generated local secrets and the sandbox's state (OAuth client secrets,
 * its cookie secret): nobody but the service's own user may read or write any of it
 * (issue 12, M3 and L7). Entry points set `ownerOnlyUmask` before opening anything, so what
 * they create is 0700 / 0600; what an earlier version left looser is tightened on start.
 */
export const ownerOnlyUmask = 0o077;
export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

/** Creates `dir` (and missing parents) owner-only, or tightens it when it exists. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: privateDirMode });
  tightenEntry(dir, fs.statSync(dir));
}

export interface Tightened {
  /** Files and folders whose group or other access was removed. */
  count: number;
  /** Entries that could not be changed (owned by another user, say). */
  failed: string[];
}

/**
 * Removes group and other access from `root` and everything under it (folders → 0700,
 * files → 0600 for a file that was read-write). Symbolic links are neither followed nor
 * changed. A missing `root` is nothing to do.
 */
export function tightenTree(root: string): Tightened {
  const result: Tightened = { count: 0, failed: [] };
  const visit = (entry: string, stat: fs.Stats) => {
    try {
      if (tightenEntry(entry, stat)) result.count++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') result.failed.push(entry);
    }
    if (!stat.isDirectory()) return;
    for (const name of readdir(entry, result)) {
      const child = path.join(entry, name);
      const childStat = lstatOrUndefined(child);
      if (childStat && !childStat.isSymbolicLink()) visit(child, childStat);
    }
  };
  // The root itself may be a link (DATA_DIR on another disk): its target is the folder to close.
  const rootStat = statOrUndefined(root);
  if (rootStat) visit(root, rootStat);
  return result;
}

/**
 * Tightens DATA_DIR on start — the folder itself and the entries named (all of them when
 * none are) — and says so when anything was open to other users, so an operator knows their
 * data had been readable. Answers how many entries were tightened.
 */
export function tightenDataDir(
  dataDir: string,
  warn: (message: string) => void,
  entries?: readonly string[],
): number {
  const roots = entries ? entries.map((e) => path.join(dataDir, e)) : [];
  const results = entries ? [tightenOne(dataDir), ...roots.map(tightenTree)] : [tightenTree(dataDir)];
  const count = results.reduce((n, r) => n + r.count, 0);
  const failed = results.flatMap((r) => r.failed);
  if (count > 0)
    warn(
      `tightened permissions of ${count} files in DATA_DIR (${dataDir}): they were open to other users; now owner-only (0600, folders 0700)`,
    );
  if (failed.length > 0)
    warn(
      `could not tighten the permissions of ${failed.length} files in DATA_DIR (${dataDir}), e.g. ${failed[0]}: make them owner-only (chmod go-rwx)`,
    );
  return count;
}

function tightenOne(entry: string): Tightened {
  const stat = statOrUndefined(entry);
  if (!stat) return { count: 0, failed: [] };
  try {
    return { count: tightenEntry(entry, stat) ? 1 : 0, failed: [] };
  } catch {
    return { count: 0, failed: [entry] };
  }
}

/** True when the entry had group or other bits and now has none. */
function tightenEntry(entry: string, stat: fs.Stats): boolean {
  const mode = stat.mode & 0o7777;
  if ((mode & 0o077) === 0) return false;
  fs.chmodSync(entry, mode & ~0o077);
  return true;
}

function readdir(dir: string, result: Tightened): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') result.failed.push(dir);
    return [];
  }
}

function lstatOrUndefined(entry: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(entry);
  } catch {
    return undefined;
  }
}

function statOrUndefined(entry: string): fs.Stats | undefined {
  try {
    return fs.statSync(entry);
  } catch {
    return undefined;
  }
}
