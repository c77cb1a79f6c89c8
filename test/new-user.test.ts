/**
 * As a new user would do it, after the README's `npm ci`: run the real `npm start` (only the ports
 * and the data dir overridden, so the test can run beside anything on 8200), wait for the printed
 * `export` lines, put and get a secret with them, then press Ctrl-C and check that no `coffer`
 * process is left for that data dir.
 *
 * Ctrl-C in a terminal sends SIGINT to the whole foreground process group (npm, the `sh -c` npm
 * runs the script in, and `coffer dev`), so the test starts npm in its own group and signals the
 * group. (A SIGINT to npm's pid alone reaches only `sh`, which does not pass it on.)
 * In CI this runs inside a fresh clone where `npm ci` has already run; it does not clone again.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportsFrom, freeBasePort, killLeftovers, startChild, waitForText, waitNoCofferProcesses, type Child } from './dev-helpers.js';

const REPO = resolve(import.meta.dirname, '..');
const CLI = join(REPO, 'packages', 'cli', 'dist', 'main.js');
const root = mkdtempSync(join(tmpdir(), 'coffer-new-user-'));
const dataDir = join(root, 'dev');
let npm: Child | undefined;
let env: { address: string; token: string } = { address: '', token: '' };

function ctrlC(child: Child): void {
  const pid = child.proc.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGINT');
  } catch {
    // the group is already gone
  }
}

beforeAll(async () => {
  const base = await freeBasePort();
  // `npm start` = `tsc -b && node packages/cli/dist/main.js dev`; the build is a no-op after `npm test`'s.
  npm = startChild('npm', ['start', '--', '--base-port', String(base), '--data-dir', dataDir], {
    cwd: REPO,
    detached: true,
    env: { ...process.env, NO_COLOR: '1', COFFER_ADDR: '', COFFER_TOKEN: '' },
  });
  await waitForText(npm.output, /^export COFFER_TOKEN=\S+$/m, 150_000, npm.isRunning);
  env = exportsFrom(npm.output());
  expect(env.address).toBe(`http://127.0.0.1:${base}`);
});

afterAll(() => {
  if (npm !== undefined && npm.proc.exitCode === null) ctrlC(npm);
  killLeftovers(dataDir);
  rmSync(root, { recursive: true, force: true });
});

/** Runs the built CLI as a user would after `source .coffer/dev/dev.env`. */
function coffer(args: readonly string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, COFFER_ADDR: env.address, COFFER_TOKEN: env.token, VAULT_ADDR: '', VAULT_TOKEN: '' },
  });
}

describe('a new user: npm start, then kv put/get with the printed exports, then Ctrl-C', () => {
  it('puts and gets secret/hello over HTTP with the printed COFFER_ADDR and COFFER_TOKEN', async () => {
    const headers = { 'X-Vault-Token': env.token, 'Content-Type': 'application/json' };
    const put = await fetch(`${env.address}/v1/secret/data/hello`, { method: 'POST', headers, body: JSON.stringify({ data: { foo: 'world' } }) });
    expect(put.status).toBe(200);
    const get = await fetch(`${env.address}/v1/secret/data/hello`, { headers });
    expect(get.status).toBe(200);
    expect(((await get.json()) as { data: { data: { foo: string } } }).data.data.foo).toBe('world');
  });

  it('puts and gets secret/hello with the coffer CLI (kv put, kv get -field=foo)', () => {
    coffer(['kv', 'put', 'secret/hello', 'foo=world']);
    expect(coffer(['kv', 'get', '-field=foo', 'secret/hello']).trim()).toBe('world');
  });

  it('Ctrl-C stops npm start and leaves no coffer process for the data dir', async () => {
    if (npm === undefined) throw new Error('npm start did not run');
    ctrlC(npm);
    await npm.exited;
    // npm may exit first; `coffer dev` still writes its last line as it finishes stopping the nodes.
    await waitForText(npm.output, /every node shut down cleanly/, 20_000);
    expect(await waitNoCofferProcesses(dataDir, 20_000)).toEqual([]);
  });
});
