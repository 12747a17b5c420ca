import fs from 'node:fs';
import path from 'node:path';
import { createLogger, type Logger } from '../../src/log.ts';

/**
 * Logs of the app under test, kept for two reasons: a person can read them in
 * test-results/logs/, and every test file ends by scanning them for tokens and secrets, and
 * for the meeting content and personal data its events carried (test/setup/log-scan.ts).
 * Debug level, so the most detailed lines are scanned too.
 */
const captured: string[] = [];
const secrets = new Set<string>();
/** Lower-cased, as sent and as JSON escapes them in a log line. */
const personal = new Map<string, string>();
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

/**
 * Meeting content or personal data a test sent (an attendee's email or name, a transcript
 * line, a summary, an action item): never to appear in a log. Emails from 6 characters,
 * other text from 8, so that a short word ("Ada", "Yes.") cannot match an innocent line.
 */
export function registerPersonalData(value: string | undefined): void {
  if (!value || value.length < (value.includes('@') ? 6 : 8)) return;
  const lower = value.toLowerCase();
  personal.set(lower, JSON.stringify(lower).slice(1, -1));
}

export function knownPersonalData(): string[] {
  return [...personal.keys()];
}

/** The lines holding a token-shaped string, a registered secret or registered personal data. */
export function leakedLines(): string[] {
  return captured.filter((line) => {
    if (zohoTokenPattern.test(line) || [...secrets].some((s) => line.includes(s))) return true;
    const lower = line.toLowerCase();
    for (const [raw, escaped] of personal) if (lower.includes(raw) || lower.includes(escaped)) return true;
    return false;
  });
}

export function capturedLineCount(): number {
  return captured.length;
}

/** How many captured app log lines carry this message. */
export function loggedCount(msg: string): number {
  return captured.filter((line) => line.includes(`"msg":"${msg}"`)).length;
}

/** The captured app log lines, parsed, that `match` accepts. */
export function loggedLines(
  match: (line: Record<string, unknown>) => boolean,
): Array<Record<string, unknown>> {
  return captured.map((line) => JSON.parse(line) as Record<string, unknown>).filter(match);
}
