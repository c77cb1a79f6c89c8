#!/usr/bin/env bash
# Creates packages/<name> with package.json, tsconfig.json, vitest.config.ts, README.md, src/index.ts.
# Usage: scripts/new-package.sh <name> [dep ...]   (deps are other @coffer packages)
set -euo pipefail
name=$1; shift
dir=packages/$name
mkdir -p "$dir/src"
deps=""; refs=""
for d in "$@"; do
  deps+="\"@coffer/$d\": \"*\","
  refs+="{ \"path\": \"../$d\" },"
done
deps=${deps%,}; refs=${refs%,}
cat > "$dir/package.json" <<JSON
{
  "name": "@coffer/$name",
  "version": "0.1.0",
  "private": true,
  "type": "module",
  "exports": {
    ".": {
      "@coffer/source": "./src/index.ts",
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    }
  },
  "dependencies": { $deps }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist", "tsBuildInfoFile": "dist/.tsbuildinfo" },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts"],
  "references": [ $refs ]
}
JSON
cat > "$dir/vitest.config.ts" <<TS
import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@coffer/source', 'node', 'development|production'] } },
  test: { name: '$name', environment: 'node', include: ['src/**/*.test.ts'] },
});
TS
[ -f "$dir/README.md" ] || printf '# @coffer/%s\n' "$name" > "$dir/README.md"
[ -f "$dir/src/index.ts" ] || printf 'export {};\n' > "$dir/src/index.ts"
