import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from './chromium.ts';

describe('finding Chromium for browser tests (test/setup/chromium.ts)', () => {
  const nowhere = path.resolve('test-results', 'no-such-chromium');

  it('uses CHROMIUM_PATH when it names an executable', () => {
    expect(findChromium({ CHROMIUM_PATH: process.execPath }, nowhere)).toEqual({ path: process.execPath });
  });

  it("else Debian's chromium package", () => {
    expect(findChromium({}, process.execPath)).toEqual({ path: process.execPath });
  });

  it('says in one line how to get it when there is none', () => {
    const found = findChromium({}, nowhere);
    expect(found).toEqual({ missing: expect.stringContaining('apt-get install -y chromium') });
    expect('missing' in found && found.missing).toMatch(/^Chromium not found: .*CHROMIUM_PATH/);
    expect('missing' in found && found.missing).not.toContain('\n');
  });

  it('reports a CHROMIUM_PATH that is not there rather than using another browser', () => {
    const found = findChromium({ CHROMIUM_PATH: nowhere }, process.execPath);
    expect(found).toEqual({
      missing: expect.stringContaining(`CHROMIUM_PATH=${nowhere} is not an executable file`),
    });
  });
});
