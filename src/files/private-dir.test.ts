import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, tightenDataDir, tightenTree } from './private-dir.ts';

const modeOf = (p: string) => fs.lstatSync(p).mode & 0o777;

describe('owner-only DATA_DIR (M3)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'private-dir-'));
    dirs.push(d);
    return d;
  };

  /** What PGlite and earlier versions left: world-writable files in world-readable folders. */
  function looseTree(root: string) {
    fs.mkdirSync(path.join(root, 'pglite', 'base', '5'), { recursive: true });
    fs.writeFileSync(path.join(root, 'pglite', 'base', '5', '1259'), 'rows');
    fs.writeFileSync(path.join(root, 'local-secrets.json'), '{}');
    fs.mkdirSync(path.join(root, 'sandbox'));
    fs.writeFileSync(path.join(root, 'sandbox', 'zoho-sandbox.json'), '{}');
    for (const d of [root, 'pglite', 'pglite/base', 'pglite/base/5', 'sandbox'])
      fs.chmodSync(path.resolve(root, d), 0o777);
    for (const f of ['pglite/base/5/1259', 'local-secrets.json']) fs.chmodSync(path.join(root, f), 0o666);
    fs.chmodSync(path.join(root, 'sandbox', 'zoho-sandbox.json'), 0o644);
  }

  it('M3: tightens every folder to 0700 and every file to 0600, and counts what it changed', () => {
    const root = tmp();
    looseTree(root);
    expect(tightenTree(root)).toEqual({ count: 8, failed: [] });
    for (const d of ['', 'pglite', 'pglite/base', 'pglite/base/5', 'sandbox'])
      expect(modeOf(path.join(root, d)), d).toBe(0o700);
    for (const f of ['pglite/base/5/1259', 'local-secrets.json', 'sandbox/zoho-sandbox.json'])
      expect(modeOf(path.join(root, f)), f).toBe(0o600);
    expect(tightenTree(root)).toEqual({ count: 0, failed: [] });
  });

  it('neither follows nor changes a symbolic link to something outside', () => {
    const root = tmp();
    const outside = tmp();
    fs.writeFileSync(path.join(outside, 'shared.txt'), 'x');
    fs.chmodSync(path.join(outside, 'shared.txt'), 0o644);
    fs.symlinkSync(path.join(outside, 'shared.txt'), path.join(root, 'link'));
    tightenTree(root);
    expect(modeOf(path.join(outside, 'shared.txt'))).toBe(0o644);
  });

  it('has nothing to do for a DATA_DIR that does not exist yet', () => {
    expect(tightenTree(path.join(tmp(), 'missing'))).toEqual({ count: 0, failed: [] });
  });

  it('M3: says how many files it tightened, and only when it tightened some', () => {
    const root = tmp();
    looseTree(root);
    const said: string[] = [];
    expect(tightenDataDir(root, (m) => said.push(m))).toBe(8);
    expect(said).toEqual([expect.stringMatching(/^tightened permissions of 8 files in DATA_DIR/)]);
    expect(tightenDataDir(root, (m) => said.push(m))).toBe(0);
    expect(said).toHaveLength(1);
  });

  it('tightens only the folder itself and the entries named (the sandbox owns DATA_DIR/sandbox alone)', () => {
    const root = tmp();
    looseTree(root);
    expect(tightenDataDir(root, () => {}, ['sandbox'])).toBe(3);
    expect(modeOf(root)).toBe(0o700);
    expect(modeOf(path.join(root, 'sandbox', 'zoho-sandbox.json'))).toBe(0o600);
    expect(modeOf(path.join(root, 'local-secrets.json'))).toBe(0o666);
  });

  it('creates a private folder owner-only whatever the umask, and closes an existing open one', () => {
    const root = tmp();
    const fresh = path.join(root, 'a', 'b');
    ensurePrivateDir(fresh);
    expect(modeOf(fresh)).toBe(0o700);
    fs.chmodSync(fresh, 0o755);
    ensurePrivateDir(fresh);
    expect(modeOf(fresh)).toBe(0o700);
  });
});
