#!/usr/bin/env node
// check-deps: keeps the package table of /work/shared/ARCHITECTURE.md true.
//
//   node scripts/check-deps.mjs [--root <repo dir>]
//
// Reads every packages/*/package.json and every import in packages/*/src/**/*.ts and fails (exit 1)
// on: an import of a @coffer package that the table does not allow (an upward import), a deep import
// (`@coffer/x/src/...`, or a relative path leaving the package), an import of a @coffer package that
// package.json does not declare, a package folder missing from the table, and, in the pure packages,
// Node builtins, timers, the clock, Math.random, process and async/await. Comments and string
// literals are blanked before matching, so prose that mentions Date.now() does not trip it.
// Test files (*.test.ts) are exempt from the purity rules, not from the others.
//
// Plain Node ESM with no dependencies: it runs before anything is built (`npm test` calls it first).

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------
// The table. Keep it in step with ARCHITECTURE.md. '*' means any package in the table.

const ALLOWED = {
  base: [],
  election: ['base'],
  'replication-lag': ['base'],
  linearizability: ['base'],
  raft: ['base', 'election', 'replication-lag'],
  barrier: ['base'],
  secrets: ['base', 'barrier'],
  'raft-sim': ['raft', 'base', 'linearizability', 'election', 'replication-lag'],
  wire: [],
  storage: ['base', 'raft', 'secrets'],
  transport: ['base', 'wire', 'raft'],
  'kms-unseal': ['base', 'barrier'],
  telemetry: ['base'],
  'dr-replication': ['base', 'raft', 'replication-lag', 'transport', 'wire'],
  node: [
    'base', 'election', 'replication-lag', 'raft', 'barrier', 'secrets', 'wire', 'storage',
    'transport', 'kms-unseal', 'telemetry', 'dr-replication',
  ],
  gateway: ['base', 'wire', 'client', 'telemetry'],
  client: ['base'],
  loadtest: ['client', 'base', 'linearizability'],
  cli: '*',
};

/** No I/O, no timers, no clock, no randomness, no async (see STYLE.md habit 3). raft-sim is not pure. */
const PURE = new Set(['base', 'election', 'replication-lag', 'raft', 'linearizability']);

/** Matched against the code of pure packages with comments and strings blanked. */
const PURITY_RULES = [
  { rule: 'pure-timer', re: /(?<![\w$])(?:setTimeout|setInterval|setImmediate|queueMicrotask)(?![\w$])/g, why: 'time enters a pure package as ticks or nowMs' },
  { rule: 'pure-clock', re: /(?<![\w$])Date(?![\w$])/g, why: 'no clock in a pure package: take time as an argument' },
  { rule: 'pure-clock', re: /(?<![\w$])performance\s*\.\s*now(?![\w$])/g, why: 'no clock in a pure package: take time as an argument' },
  { rule: 'pure-random', re: /(?<![\w$])Math\s*\.\s*random(?![\w$])/g, why: 'randomness comes from an injected seeded Rng' },
  { rule: 'pure-process', re: /(?<![\w$])process\s*\./g, why: 'no process state in a pure package' },
  // `.async`, `async:` and `async?:` are property names, not the keyword.
  { rule: 'pure-async', re: /(?<![\w$.])(?:async|await)(?![\w$])(?!\s*\??\s*:)/g, why: 'a pure package is synchronous: effects leave as data' },
];

const TEST_FILE = /\.test\.[cm]?tsx?$/;
const SOURCE_FILE = /\.[cm]?tsx?$/;
const DEP_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];
const BUILTINS = new Set(builtinModules);

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  let root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--root' && i + 1 < argv.length) root = resolve(argv[++i]);
    else if (a.startsWith('--root=')) root = resolve(a.slice('--root='.length));
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node scripts/check-deps.mjs [--root <repo dir>]\n');
      process.exit(0);
    } else {
      process.stderr.write(`check-deps: unknown argument ${a}\nusage: node scripts/check-deps.mjs [--root <repo dir>]\n`);
      process.exit(2);
    }
  }
  return { root };
}

// ---------------------------------------------------------------------------------------------
// Lexing: blank comments and the contents of string, template and regex literals, keeping every
// offset and newline where it was, and remember each string literal's value by its offset.

const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do',
  'else', 'yield', 'await',
]);

function strip(src) {
  const out = src.split('');
  const strings = new Map(); // offset of the opening quote -> string value
  const templateDepths = []; // one entry per open `${`: the count of `{` opened inside it
  const n = src.length;
  let i = 0;
  let prevKind = 'start'; // 'start' | 'word' | 'punct' | 'value'
  let prevToken = '';

  const blank = (from, to) => {
    for (let k = from; k < to && k < n; k++) if (out[k] !== '\n') out[k] = ' ';
  };

  // Scans template text from `start` to the closing backtick or the next `${`.
  const scanTemplate = (start, openedAt) => {
    let k = start;
    let value = '';
    while (k < n) {
      const ch = src[k];
      if (ch === '\\') { value += src[k + 1] ?? ''; k += 2; continue; }
      if (ch === '`') {
        blank(start, k);
        if (openedAt !== undefined) strings.set(openedAt, value); // no substitutions: a plain string
        return { end: k + 1, closed: true };
      }
      if (ch === '$' && src[k + 1] === '{') {
        blank(start, k);
        return { end: k + 2, closed: false };
      }
      value += ch;
      k++;
    }
    blank(start, n);
    return { end: n, closed: true };
  };

  while (i < n) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const nl = src.indexOf('\n', i);
      const end = nl === -1 ? n : nl;
      blank(i, end);
      i = end;
      continue;
    }
    if (c === '/' && next === '*') {
      const close = src.indexOf('*/', i + 2);
      const end = close === -1 ? n : close + 2;
      blank(i, end);
      i = end;
      continue;
    }
    if (c === "'" || c === '"') {
      let k = i + 1;
      let value = '';
      while (k < n && src[k] !== c && src[k] !== '\n') {
        if (src[k] === '\\') { value += src[k + 1] ?? ''; k += 2; } else { value += src[k]; k++; }
      }
      blank(i + 1, k);
      strings.set(i, value);
      i = k + 1;
      prevKind = 'value';
      continue;
    }
    if (c === '`') {
      const r = scanTemplate(i + 1, i);
      if (!r.closed) templateDepths.push(0);
      i = r.end;
      prevKind = r.closed ? 'value' : 'punct';
      prevToken = r.closed ? '' : '{';
      continue;
    }
    if (c === '{') {
      if (templateDepths.length > 0) templateDepths[templateDepths.length - 1]++;
      prevKind = 'punct'; prevToken = c; i++;
      continue;
    }
    if (c === '}') {
      if (templateDepths.length > 0) {
        const top = templateDepths.length - 1;
        if (templateDepths[top] === 0) {
          // The end of a `${ ... }`: back into the template text.
          templateDepths.pop();
          const r = scanTemplate(i + 1, undefined);
          if (!r.closed) templateDepths.push(0);
          i = r.end;
          prevKind = r.closed ? 'value' : 'punct';
          prevToken = r.closed ? '' : '{';
          continue;
        }
        templateDepths[top]--;
      }
      prevKind = 'punct'; prevToken = c; i++;
      continue;
    }
    if (c === '/') {
      const regexAllowed =
        prevKind === 'start' ||
        (prevKind === 'punct' && !')]}'.includes(prevToken)) ||
        (prevKind === 'word' && KEYWORDS_BEFORE_EXPRESSION.has(prevToken));
      if (regexAllowed) {
        let k = i + 1;
        let inClass = false;
        while (k < n && src[k] !== '\n') {
          const ch = src[k];
          if (ch === '\\') { k += 2; continue; }
          if (ch === '[') inClass = true;
          else if (ch === ']') inClass = false;
          else if (ch === '/' && !inClass) break;
          k++;
        }
        blank(i + 1, k);
        i = k + 1;
        while (i < n && /[a-z]/i.test(src[i])) i++; // flags
        prevKind = 'value';
        continue;
      }
    }
    if (/[\w$]/.test(c)) {
      let k = i;
      while (k < n && /[\w$]/.test(src[k])) k++;
      prevKind = 'word';
      prevToken = src.slice(i, k);
      i = k;
      continue;
    }
    if (!/\s/.test(c)) { prevKind = 'punct'; prevToken = c; }
    i++;
  }
  return { code: out.join(''), strings };
}

// ---------------------------------------------------------------------------------------------
// Imports

const IMPORT_PATTERNS = [
  /(?<![\w$.])from\s*(?=['"`])/g, // import ... from 'x' | export ... from 'x'
  /(?<![\w$.])import\s*(?=['"])/g, // import 'x'
  /(?<![\w$.])import\s*\(\s*(?=['"`])/g, // import('x')
  /(?<![\w$.])require\s*\(\s*(?=['"`])/g, // import x = require('x')
];

/** Every import specifier in a stripped file, with its offset. */
function findImports(code, strings) {
  const found = new Map();
  for (const re of IMPORT_PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(code); m !== null; m = re.exec(code)) {
      const quoteAt = m.index + m[0].length;
      const spec = strings.get(quoteAt);
      if (spec !== undefined) found.set(quoteAt, spec);
    }
  }
  return [...found.entries()].map(([offset, spec]) => ({ offset, spec }));
}

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineOf(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function isBuiltin(spec) {
  if (spec.startsWith('node:')) return true;
  return BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]);
}

function allowedList(pkg) {
  const allowed = ALLOWED[pkg];
  return allowed === '*' ? Object.keys(ALLOWED).filter((p) => p !== pkg) : allowed;
}

// ---------------------------------------------------------------------------------------------
// The check

function listDirs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
}

function listSourceFiles(dir) {
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'dist') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && SOURCE_FILE.test(e.name)) files.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return files.sort();
}

function check(root) {
  const violations = [];
  const packagesDir = join(root, 'packages');
  const rel = (p) => relative(root, p).split(sep).join('/');
  const report = (file, line, rule, message) => violations.push({ file: rel(file), line, rule, message });

  const folders = listDirs(packagesDir);
  let fileCount = 0;

  for (const pkg of folders) {
    const pkgDir = join(packagesDir, pkg);
    const pkgJsonPath = join(pkgDir, 'package.json');
    if (!existsSync(pkgJsonPath)) {
      report(pkgDir, 0, 'package-json', `packages/${pkg} has no package.json`);
      continue;
    }
    const pkgJsonText = readFileSync(pkgJsonPath, 'utf8');
    let pkgJson;
    try {
      pkgJson = JSON.parse(pkgJsonText);
    } catch (e) {
      report(pkgJsonPath, 1, 'package-json', `cannot parse: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const known = Object.hasOwn(ALLOWED, pkg);
    if (!known) {
      report(pkgJsonPath, 1, 'unknown-package',
        `packages/${pkg} is not in the ALLOWED table of scripts/check-deps.mjs: add it, with the @coffer packages it may import (see ARCHITECTURE.md)`);
    }
    if (pkgJson.name !== `@coffer/${pkg}`) {
      report(pkgJsonPath, 1, 'package-name', `name is ${JSON.stringify(pkgJson.name)}, expected "@coffer/${pkg}" (the folder name)`);
    }
    const allowed = known ? allowedList(pkg) : [];
    const pkgLines = lineStarts(pkgJsonText);

    // Declared dependencies must respect the table as well.
    const runtimeDeps = new Set();
    const devDeps = new Set();
    for (const field of DEP_FIELDS) {
      const deps = pkgJson[field];
      if (deps === null || typeof deps !== 'object') continue;
      for (const dep of Object.keys(deps)) {
        if (!dep.startsWith('@coffer/')) continue;
        const target = dep.slice('@coffer/'.length);
        (field === 'devDependencies' ? devDeps : runtimeDeps).add(target);
        if (known && target !== pkg && !allowed.includes(target)) {
          const at = pkgJsonText.indexOf(`"${dep}"`);
          report(pkgJsonPath, at === -1 ? 1 : lineOf(pkgLines, at), 'direction',
            `@coffer/${pkg} declares ${dep} in ${field}, which it may not import (allowed: ${allowed.join(', ') || 'none'})`);
        }
      }
    }

    for (const file of listSourceFiles(join(pkgDir, 'src'))) {
      fileCount++;
      const isTest = TEST_FILE.test(file);
      const text = readFileSync(file, 'utf8');
      const { code, strings } = strip(text);
      const starts = lineStarts(text);

      for (const { offset, spec } of findImports(code, strings)) {
        const line = lineOf(starts, offset);
        if (spec.startsWith('.') || spec.startsWith('/')) {
          const target = resolve(dirname(file), spec);
          if (target !== pkgDir && !target.startsWith(pkgDir + sep)) {
            report(file, line, 'deep-import', `'${spec}' reaches outside packages/${pkg}: import the other package by its name`);
          }
          continue;
        }
        if (spec.startsWith('@coffer/')) {
          const [, target, ...rest] = spec.split('/');
          if (rest.length > 0) {
            report(file, line, 'deep-import', `'${spec}' is a deep import: import '@coffer/${target}' and use what its src/index.ts exports`);
          }
          if (target === pkg) {
            if (!isTest) report(file, line, 'self-import', `'${spec}' imports the package itself: use a relative path`);
            continue;
          }
          if (known && !allowed.includes(target)) {
            report(file, line, 'direction', `@coffer/${pkg} may not import @coffer/${target} (allowed: ${allowed.join(', ') || 'none'})`);
          }
          const declared = runtimeDeps.has(target) || (isTest && devDeps.has(target));
          if (!declared) {
            report(file, line, 'undeclared', `@coffer/${target} is not declared in packages/${pkg}/package.json ${isTest ? 'dependencies or devDependencies' : 'dependencies'}`);
          }
          continue;
        }
        if (PURE.has(pkg) && !isTest && isBuiltin(spec)) {
          report(file, line, 'pure-node-import', `'${spec}' is a Node builtin: @coffer/${pkg} is pure (no I/O)`);
        }
      }

      if (PURE.has(pkg) && !isTest) {
        for (const { rule, re, why } of PURITY_RULES) {
          re.lastIndex = 0;
          for (let m = re.exec(code); m !== null; m = re.exec(code)) {
            report(file, lineOf(starts, m.index), rule, `'${m[0].replace(/\s+/g, '')}' in pure package @coffer/${pkg}: ${why}`);
          }
        }
      }
    }
  }
  violations.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { packageCount: folders.length, fileCount, violations };
}

// ---------------------------------------------------------------------------------------------

const { root } = parseArgs(process.argv.slice(2));
if (!existsSync(join(root, 'packages'))) {
  process.stderr.write(`check-deps: no packages/ folder under ${root}\n`);
  process.exit(2);
}
const { packageCount, fileCount, violations } = check(root);
const summary = `check-deps: ${packageCount} packages, ${fileCount} files, ${violations.length} violations`;
if (violations.length > 0) {
  for (const v of violations) process.stderr.write(`${v.file}:${v.line}: [${v.rule}] ${v.message}\n`);
  process.stderr.write(`${summary}\n`);
  process.exit(1);
}
process.stdout.write(`${summary}\n`);
