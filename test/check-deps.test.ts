import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Runs scripts/check-deps.mjs against small fixture repos written to a temp dir, one rule at a time,
// and against the real repo.

const repoRoot = resolve(import.meta.dirname, '..');
const script = join(repoRoot, 'scripts', 'check-deps.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'check-deps-'));
let fixtureCount = 0;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Files = Record<string, string>;

const pkgJson = (name: string, deps: string[], devDeps: string[] = []): string =>
  JSON.stringify({
    name: `@coffer/${name}`,
    type: 'module',
    dependencies: Object.fromEntries(deps.map((d) => [`@coffer/${d}`, '*'])),
    ...(devDeps.length > 0 ? { devDependencies: Object.fromEntries(devDeps.map((d) => [`@coffer/${d}`, '*'])) } : {}),
  });

/** A small repo that passes: a few pure packages, one impure one, imports that follow the table. */
const cleanTree: Files = {
  'packages/base/package.json': pkgJson('base', []),
  'packages/base/src/index.ts': "export { nodeId } from './ids.js';\n",
  'packages/base/src/ids.ts': 'export const nodeId = (s: string): string => s;\n',
  'packages/election/package.json': pkgJson('election', ['base']),
  'packages/election/src/index.ts': "import { nodeId } from '@coffer/base';\nexport const me = nodeId('n1');\n",
  'packages/replication-lag/package.json': pkgJson('replication-lag', ['base']),
  'packages/replication-lag/src/index.ts': "import type { nodeId } from '@coffer/base';\nexport type Id = ReturnType<typeof nodeId>;\n",
  'packages/raft/package.json': pkgJson('raft', ['base', 'election', 'replication-lag']),
  'packages/raft/src/index.ts': [
    "import { nodeId } from '@coffer/base';",
    "export { me } from '@coffer/election';",
    "export type { Id } from '@coffer/replication-lag';",
    'export const lag = (): number => 0;',
    '',
  ].join('\n'),
  'packages/raft-sim/package.json': pkgJson('raft-sim', ['raft', 'base']),
  'packages/raft-sim/src/index.ts': [
    "import { readFileSync } from 'node:fs';",
    "import { lag } from '@coffer/raft';",
    // raft-sim is not pure: all of these are fine here.
    'export async function run(): Promise<number> { await Promise.resolve(); return Math.random() + Date.now() + lag(); }',
    'setTimeout(() => readFileSync, 0);',
    '',
  ].join('\n'),
};

function writeFixture(overrides: Files, remove: string[] = []): string {
  const dir = join(scratch, `fixture-${fixtureCount++}`);
  const files: Files = { ...cleanTree, ...overrides };
  for (const r of remove) delete files[r];
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCheck(args: string[]): Run {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const checkFixture = (overrides: Files, remove: string[] = []): Run => runCheck(['--root', writeFixture(overrides, remove)]);

/** The violation lines, as `file:line: [rule]` prefixes. */
const violationsOf = (r: Run): string[] =>
  r.stderr
    .split('\n')
    .filter((l) => /^\S+:\d+: \[/.test(l))
    .map((l) => l.slice(0, l.indexOf(']') + 1));

describe('scripts/check-deps.mjs', () => {
  it('passes a clean fixture and prints one summary line', () => {
    const r = checkFixture({});
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('check-deps: 5 packages, 6 files, 0 violations\n');
  });

  it('catches an upward import (a pure package importing raft)', () => {
    const r = checkFixture({
      'packages/election/package.json': pkgJson('election', ['base']),
      'packages/election/src/index.ts': "import { nodeId } from '@coffer/base';\nimport { lag } from '@coffer/raft';\nexport const me = nodeId('n1') + lag();\n",
    });
    expect(r.status).toBe(1);
    expect(violationsOf(r)).toContain('packages/election/src/index.ts:2: [direction]');
    expect(r.stderr).toContain('@coffer/election may not import @coffer/raft (allowed: base)');
    expect(r.stderr).toMatch(/check-deps: 5 packages, 6 files, \d+ violations/);
  });

  it('catches an upward dependency declared in package.json', () => {
    const r = checkFixture({ 'packages/base/package.json': pkgJson('base', ['raft']) });
    expect(r.status).toBe(1);
    expect(violationsOf(r)).toEqual(['packages/base/package.json:1: [direction]']);
  });

  it('catches deep imports, by package path and by relative path', () => {
    const r = checkFixture({
      'packages/raft/src/deep.ts': "export { me } from '@coffer/election/src/index.js';\nimport { nodeId } from '../../base/src/ids.js';\nexport const x = nodeId;\n",
    });
    expect(r.status).toBe(1);
    expect(violationsOf(r)).toEqual(['packages/raft/src/deep.ts:1: [deep-import]', 'packages/raft/src/deep.ts:2: [deep-import]']);
  });

  it('catches an allowed but undeclared dependency', () => {
    const r = checkFixture({ 'packages/raft/package.json': pkgJson('raft', ['base', 'election']) });
    expect(r.status).toBe(1);
    expect(violationsOf(r)).toEqual(['packages/raft/src/index.ts:3: [undeclared]']);
  });

  it('accepts a devDependency only in test files', () => {
    const files: Files = {
      'packages/raft/package.json': pkgJson('raft', ['base', 'election'], ['replication-lag']),
      'packages/raft/src/index.ts': "export { me } from '@coffer/election';\n",
      'packages/raft/src/lag.test.ts': "import type { Id } from '@coffer/replication-lag';\nexport type T = Id;\n",
    };
    expect(checkFixture(files).status).toBe(0);
    const r = checkFixture({ ...files, 'packages/raft/src/lag.ts': "export type { Id } from '@coffer/replication-lag';\n" });
    expect(violationsOf(r)).toEqual(['packages/raft/src/lag.ts:1: [undeclared]']);
  });

  it('catches Math.random in a pure package', () => {
    const r = checkFixture({ 'packages/election/src/timeout.ts': 'export const pick = (): number =>\n  Math.random() * 10;\n' });
    expect(r.status).toBe(1);
    expect(violationsOf(r)).toEqual(['packages/election/src/timeout.ts:2: [pure-random]']);
  });

  it('catches async and await in a pure package', () => {
    const r = checkFixture({
      'packages/replication-lag/src/wait.ts': 'export async function f(p: Promise<number>): Promise<number> {\n  return await p;\n}\n',
    });
    expect(r.status).toBe(1);
    expect(violationsOf(r)).toEqual(['packages/replication-lag/src/wait.ts:1: [pure-async]', 'packages/replication-lag/src/wait.ts:2: [pure-async]']);
  });

  it('catches node:fs and bare builtin imports in a pure package', () => {
    const r = checkFixture({
      'packages/raft/src/disk.ts': "import { readFileSync } from 'node:fs';\nimport * as path from 'path';\nconst c = import('crypto');\nexport { readFileSync, path, c };\n",
    });
    expect(r.status).toBe(1);
    expect(violationsOf(r)).toEqual([
      'packages/raft/src/disk.ts:1: [pure-node-import]',
      'packages/raft/src/disk.ts:2: [pure-node-import]',
      'packages/raft/src/disk.ts:3: [pure-node-import]',
    ]);
  });

  it('catches timers, the clock, process and Date inside a template expression', () => {
    const r = checkFixture({
      'packages/base/src/bad.ts': [
        'setTimeout(() => 0, 5);',
        'export const t = new Date();',
        'export const p = performance.now();',
        'export const e = process.env;',
        'export const s = `at ${Date.now()}`;',
        'queueMicrotask(() => 0);',
        '',
      ].join('\n'),
    });
    expect(violationsOf(r)).toEqual([
      'packages/base/src/bad.ts:1: [pure-timer]',
      'packages/base/src/bad.ts:2: [pure-clock]',
      'packages/base/src/bad.ts:3: [pure-clock]',
      'packages/base/src/bad.ts:4: [pure-process]',
      'packages/base/src/bad.ts:5: [pure-clock]',
      'packages/base/src/bad.ts:6: [pure-timer]',
    ]);
  });

  it('is not tripped by Date.now(), Math.random or async in comments, strings and property names', () => {
    const r = checkFixture({
      'packages/raft/src/notes.ts': [
        '// Time enters as ticks, never Date.now().',
        '/* No Math.random() here, and no async: see STYLE.md. setTimeout is the runtime\'s job. */',
        "export const why = 'Date.now() is banned; so is process.env and await';",
        'export const tpl = `no Date.now() in ${"text"}`;',
        'export const re = /Date\\.now\\(\\)/;',
        'export interface Opts { async?: boolean; update: number }',
        'export const o = { async: false, lastUpdateDate: 1 };',
        'export const read = (x: { async: boolean }): boolean => x.async;',
        '',
      ].join('\n'),
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('exempts test files of pure packages from purity, not from direction', () => {
    const pureOnly = checkFixture({
      'packages/raft/src/x.test.ts': "import { readFileSync } from 'node:fs';\nexport const f = async (): Promise<number> => Math.random() + Date.now();\nexport { readFileSync };\n",
    });
    expect(pureOnly.status).toBe(0);
    const upward = checkFixture({ 'packages/base/src/x.test.ts': "import { lag } from '@coffer/raft';\nexport const l = lag;\n" });
    expect(upward.status).toBe(1);
    expect(violationsOf(upward)).toContain('packages/base/src/x.test.ts:1: [direction]');
  });

  it('rejects a package folder missing from the table, and a name that does not match the folder', () => {
    const r = checkFixture({
      'packages/widgets/package.json': pkgJson('widgets', []),
      'packages/widgets/src/index.ts': 'export const w = 1;\n',
      'packages/election/package.json': JSON.stringify({ name: '@coffer/elections', dependencies: { '@coffer/base': '*' } }),
    });
    expect(r.status).toBe(1);
    expect(violationsOf(r)).toEqual(['packages/election/package.json:1: [package-name]', 'packages/widgets/package.json:1: [unknown-package]']);
    expect(r.stderr).toContain('add it, with the @coffer packages it may import');
  });

  it('checks export-from and dynamic import() specifiers too', () => {
    const r = checkFixture({
      'packages/replication-lag/src/more.ts': "export * as e from '@coffer/election';\nexport const load = () => import('@coffer/raft');\n",
    });
    expect(violationsOf(r)).toEqual([
      'packages/replication-lag/src/more.ts:1: [direction]',
      'packages/replication-lag/src/more.ts:1: [undeclared]',
      'packages/replication-lag/src/more.ts:2: [direction]',
      'packages/replication-lag/src/more.ts:2: [undeclared]',
    ]);
  });

  it('passes on the real repo', () => {
    const r = runCheck([]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^check-deps: \d+ packages, \d+ files, 0 violations\n$/);
  });
});
