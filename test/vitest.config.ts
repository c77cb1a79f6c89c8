import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@coffer/source', 'node', 'development|production'] } },
  test: { name: 'system', environment: 'node', include: ['**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
