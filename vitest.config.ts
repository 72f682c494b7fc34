import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/run-dir.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default (cores − 1) runs the files one at a time on CI's two cores; most test time is child processes
    // (the CLI, tsc, served e2e servers) waiting on each other, so two files at once cut the suite by a fifth there.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    reporters: process.env.CI ? ['default'] : ['default']
  }
});
