import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { findChromium } from '../setup/chromium.ts';

// Headless Chromium for browser tests, driven by playwright-core: CHROMIUM_PATH, else the
// system's Debian `chromium` package, no Playwright browser download (test/setup/chromium.ts).

/** Launch flags known to work in this environment (STACK-NOTES §6). */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromium(): Promise<Browser> {
  const found = findChromium();
  if ('missing' in found) throw oneLineError(found.missing);
  return chromium.launch({ executablePath: found.path, headless: true, args: chromiumArgs });
}

/** The report shows the line alone, no stack: the fix is in the message. */
function oneLineError(message: string): Error {
  const err = new Error(message);
  err.stack = message;
  return err;
}

/**
 * One browser per test file; a fresh context (cookies, storage) and page for each test.
 * Everything is closed afterwards. Without Chromium every test fails with the line saying how
 * to get it (counted as failed, not skipped as a failing beforeAll would leave them).
 */
export function useBrowser() {
  const ctx = {} as { browser: Browser; context: BrowserContext; page: Page };
  let missing: Error | undefined;
  beforeAll(async () => {
    const found = findChromium();
    if ('missing' in found) missing = oneLineError(found.missing);
    else ctx.browser = await launchChromium();
  });
  beforeEach(async () => {
    if (missing) throw missing;
    ctx.context = await ctx.browser.newContext();
    ctx.page = await ctx.context.newPage();
  });
  afterEach(async () => {
    await ctx.context?.close();
  });
  afterAll(async () => {
    await ctx.browser?.close();
  });
  return ctx;
}
