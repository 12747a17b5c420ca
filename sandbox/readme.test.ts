import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_CALLS_SHOWN } from './views/records.ts';

const sandboxDir = import.meta.dirname;
const root = path.dirname(sandboxDir);
const readme = readFileSync(path.join(sandboxDir, 'README.md'), 'utf8');

/**
 * Issue 14: sandbox/README.md pointed to a file the repository lacks (the facts list its
 * conformance cases came from) and the README's word on `/__sandbox/` was wrong.
 */
describe('sandbox/README.md', () => {
  it('names only files the repository has', () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1]!)
      .filter((t) => !/^[a-z]+:/.test(t))
      .map((t) => ({ named: t, at: path.resolve(sandboxDir, t) }));
    const repoPaths = [
      ...readme.matchAll(
        /(?<![\w./-])((?:src|sandbox|test|docs|scripts|bench|migrations|shared|fixtures)\/[\w./-]*\w)/g,
      ),
    ].map((m) => ({ named: m[1]!, at: path.join(root, m[1]!) }));
    // A document named alone (`ZOHO-API.md`): beside the README or at the repository's root.
    const bareDocs = [...readme.matchAll(/(?<![\w./-])([\w-]+\.md)\b/g)].map((m) => ({
      named: m[1]!,
      at: [path.join(sandboxDir, m[1]!), path.join(root, m[1]!)].find((p) => existsSync(p)) ?? m[1]!,
    }));
    const named = [...links, ...repoPaths, ...bareDocs];
    expect(named.length).toBeGreaterThan(60);
    expect(named.filter((n) => !existsSync(n.at)).map((n) => n.named)).toEqual([]);
  });

  it('says the org list shows no calls and each org page the latest calls, with the cap the code uses', () => {
    const start = readme.indexOf('Web view:');
    const web = readme.slice(start, readme.indexOf('\n## ', start)).replace(/\s+/g, ' ');
    expect(web).toMatch(/^Web view: `\/__sandbox\/` lists the orgs/);
    expect(web).toContain('It shows no calls');
    expect(web).toContain(`**latest ${LATEST_CALLS_SHOWN} calls**`);
  });
});
