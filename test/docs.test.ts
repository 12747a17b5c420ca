import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The docs tell the truth about the repository: the Node version README asks for is the one
 * `engines` requires, and every file a doc points to (a Markdown link, or a repository path
 * in backticks) exists.
 */
const root = path.resolve(import.meta.dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
const docs = [
  'README.md',
  'sandbox/README.md',
  ...fs
    .readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Paths a doc names: relative Markdown links, and backticked `dir/file.ext`. */
function pointers(doc: string): string[] {
  const text = read(doc);
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((l) => !/^[a-z]+:|^#|^\/\//i.test(l))
    .map((l) => path.join(path.dirname(doc), decodeURI(l.split('#')[0]!)));
  const named = [...text.matchAll(/`([\w.-]+\/[\w./-]+\.(?:ts|md|json|sql|yml|yaml|sh|txt))`/g)]
    .map((m) => m[1]!)
    // Not a setting's folder (`DATA_DIR/…`): a path in the repository.
    .filter((p) => !/^[A-Z_]+\//.test(p));
  return [...new Set([...links, ...named])];
}

describe('docs', () => {
  it('README asks for the Node version package.json requires', () => {
    const engines = JSON.parse(read('package.json')).engines.node as string;
    const major = /(\d+)/.exec(engines)![1];
    const setUp = read('README.md').split('## Set up')[1]!.split('\n## ')[0]!;
    const asked = [...setUp.matchAll(/Node(?:\.js)? (?:≥ ?|>= ?)?(\d+)/g)].map((m) => m[1]);
    expect(asked.length).toBeGreaterThan(0);
    for (const v of asked) expect(v, 'a Node version README names').toBe(major);
  });

  it.each(docs)('every file %s points to exists', (doc) => {
    const missing = pointers(doc).filter((p) => !fs.existsSync(path.join(root, p)));
    expect(missing).toEqual([]);
  });
});
