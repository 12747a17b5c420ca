import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/**
 * Headless Chromium for browser tests, driven by playwright-core. It uses the system's Debian
 * `chromium` package (no Playwright browser download): `apt-get install -y chromium`.
 */
export const chromiumPath = (): string => process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

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
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}. Browser tests need it: run ` +
        '`apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH to a Chromium binary).',
    );
  }
  return chromium.launch({ executablePath, headless: true, args: chromiumArgs });
}

/**
 * One browser per test file; a fresh context (cookies, storage) and page for each test.
 * Everything is closed afterwards.
 */
export function useBrowser() {
  const ctx = {} as { browser: Browser; context: BrowserContext; page: Page };
  beforeAll(async () => {
    ctx.browser = await launchChromium();
  });
  beforeEach(async () => {
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
