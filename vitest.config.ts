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
    // PGlite instances are large: keep the number of parallel files within two cores.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
