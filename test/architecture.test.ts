import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The project's rule "Zoho is only ever reached through one client", kept by reading the code:
 * the service's own network calls live in src/zoho/ (the Zoho client), the OpenAI analyser
 * (through the official SDK) and the sandbox-only Try it seeding (the sandbox's admin API).
 */
const root = path.join(import.meta.dirname, '..', 'src');
const sources = (fs.readdirSync(root, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => ({ file: f.split(path.sep).join('/'), text: fs.readFileSync(path.join(root, f), 'utf8') }));

const where = (pattern: RegExp) => sources.filter((s) => pattern.test(s.text)).map((s) => s.file);

describe('who reaches the network', () => {
  it('reads the service’s sources', () => {
    expect(sources.length).toBeGreaterThan(50);
    expect(sources.map((s) => s.file)).toContain('zoho/transport.ts');
  });

  it('HTTP calls are made only by the Zoho client and the sandbox-only Try it seeding', () => {
    const calls = where(
      /(^|[^.\w])fetch\s*\(|globalThis\.fetch|from 'node:https?'|from '(undici|axios|got|node-fetch)'/m,
    );
    expect(calls.filter((f) => !f.startsWith('zoho/'))).toEqual(['demo/sandbox-crm.ts']);
  });

  it('the OpenAI SDK is used by the OpenAI analyser only', () => {
    expect(where(/from 'openai'/)).toEqual(['analysis/openai.ts']);
  });

  it('the sandbox’s admin API is called from the Try it seeding only', () => {
    expect(where(/\/__sandbox\/orgs\/\$\{[^}]*\}\/records/)).toEqual(['demo/sandbox-crm.ts']);
  });
});
