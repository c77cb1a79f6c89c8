import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@coffer/source', 'node', 'development|production'] } },
  test: { name: 'dr-replication', environment: 'node', include: ['src/**/*.test.ts'] },
});
