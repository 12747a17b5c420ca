import fs from 'node:fs';
import path from 'node:path';
import { createLogger, type Logger } from '../../src/log.ts';

/**
 * Logs of the app under test, kept for two reasons: a person can read them in
 * test-results/logs/, and every test file ends by scanning them for tokens and secrets
 * (test/setup/log-scan.ts). Debug level, so the most detailed lines are scanned too.
 */
const captured: string[] = [];
const secrets = new Set<string>();
const dir = path.resolve('test-results', 'logs');
let file: string | undefined;

/** Zoho-shaped tokens (`1000.<hex>.<hex>`), whatever issued them. */
export const zohoTokenPattern = /1000\.[0-9a-f]{32}\.[0-9a-f]{32}/;

export function testLogger(level = 'debug'): Logger {
  return createLogger(
    { level },
    {
      write(line: string) {
        captured.push(line);
        if (!file) {
          fs.mkdirSync(dir, { recursive: true });
          file = path.join(dir, `app-${process.pid}.ndjson`);
        }
        fs.appendFileSync(file, line);
      },
    },
  );
}

/** Adds lines logged elsewhere (a child process) to the scan. */
export function captureLines(text: string): void {
  for (const line of text.split('\n')) if (line) captured.push(line);
}

/** A value that must never appear in a log: a token, a client secret, a key. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) secrets.add(value);
}

export function knownSecrets(): string[] {
  return [...secrets];
}

/** The lines holding a token-shaped string or a registered secret. */
export function leakedLines(): string[] {
  return captured.filter((line) => zohoTokenPattern.test(line) || [...secrets].some((s) => line.includes(s)));
}

export function capturedLineCount(): number {
  return captured.length;
}

/** How many captured app log lines carry this message. */
export function loggedCount(msg: string): number {
  return captured.filter((line) => line.includes(`"msg":"${msg}"`)).length;
}
