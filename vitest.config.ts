import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'test'],
    reporters: ['default', './tools/plain-summary-reporter.ts'],
  },
});
