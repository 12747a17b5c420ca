import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'sandbox/**/*.test.ts', 'test/**/*.test.ts'],
    // Once per run, before any worker starts: the PostgreSQL server (TEST_DATABASE_URL, the
    // local one, or an embedded one started here), a check for Chromium, the PGlite template.
    globalSetup: ['test/setup/postgres.ts', 'test/setup/chromium.ts', 'test/setup/pglite-template.ts'],
    setupFiles: ['test/setup/log-scan.ts'],
    // Generous: CI machines are small and PGlite is heavy. Tests assert behaviour, not speed.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for a condition; its own default (1 s) is a timed test on a loaded
    // machine (a browser page took longer than that to answer a sign-in in one CI run).
    expect: { poll: { timeout: 30_000, interval: 50 } },
    // Three files at once on a 2-core machine: many tests spend part of their time waiting on
    // other processes (workers, Chromium, PostgreSQL, the sandbox's latency), and a third file
    // fills that time (the whole suite: 9.4 min against 11.3 with two, every test passing).
    maxWorkers: 3,
    fileParallelism: true,
  },
});
