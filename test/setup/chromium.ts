import fs from 'node:fs';

/**
 * The Chromium that browser tests drive (playwright-core, no browser download): CHROMIUM_PATH
 * when set, else Debian's `chromium` package. A CHROMIUM_PATH that is not there is reported,
 * never swapped for another browser.
 */
export const debianChromium = '/usr/bin/chromium';

export type ChromiumLookup = { path: string } | { missing: string };

export function findChromium(env: NodeJS.ProcessEnv = process.env, debian = debianChromium): ChromiumLookup {
  const asked = env['CHROMIUM_PATH'];
  if (asked)
    return executable(asked)
      ? { path: asked }
      : {
          missing:
            `Chromium not found: CHROMIUM_PATH=${asked} is not an executable file. ` +
            `Point it at a Chromium binary, or unset it to use Debian's ${debian} (apt-get install -y chromium).`,
        };
  if (executable(debian)) return { path: debian };
  return {
    missing:
      `Chromium not found: browser tests need it. Install it with \`apt-get install -y chromium\` ` +
      '(Debian), or set CHROMIUM_PATH to a Chromium binary.',
  };
}

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * vitest globalSetup: says once, before any test, that browser tests are going to fail and how
 * to fix it (each browser test file then fails with that same line). Runs without browser
 * tests are not stopped.
 */
export default function setup(): void {
  const found = findChromium();
  if ('missing' in found) console.warn(found.missing);
}
