/**
 * `npm start` runs `coffer dev`: a 3-node cluster on loopback, initialized and unsealed. As a new
 * user would: start it, read the printed exports (also in dev.env), write a secret over HTTP with
 * that token, stop it with Ctrl-C (SIGINT) and find no node process left behind; start it again on
 * the same data and read the secret back with no re-init (each node unsealed from dev-keys.json).
 * Then what goes wrong: a node dying, a lost key file, a port in use, bad flags.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CofferClient } from '@coffer/client';
import { cofferProcessesFor, exportsFrom, freeBasePort, killLeftovers, startChild, waitForText, waitNoCofferProcesses, type Child } from './dev-helpers.js';

const MAIN = join(import.meta.dirname, '..', 'packages', 'cli', 'dist', 'main.js');
const root = mkdtempSync(join(tmpdir(), 'coffer-dev-'));
const dataDir = join(root, 'dev');
afterAll(() => {
  killLeftovers(dataDir);
  rmSync(root, { recursive: true, force: true });
});

const startDev = (basePort: number, extra: readonly string[] = []): Child => startChild(process.execPath, [MAIN, 'dev', '--base-port', String(basePort), '--data-dir', dataDir, ...extra]);
const READY = /^export COFFER_TOKEN=\S+$/m;
const mode = (p: string): number => statSync(p).mode & 0o777;

describe('coffer dev (npm start)', () => {
  let base = 0;

  it('first start: initializes, unseals, prints the exports (also in dev.env) and a KV write works; Ctrl-C stops every node', async () => {
    base = await freeBasePort();
    const first = startDev(base);
    await waitForText(first.output, READY, 60_000, first.isRunning);
    const { address, token } = exportsFrom(first.output());
    expect(address).toBe(`http://127.0.0.1:${base}`);
    expect(token).toMatch(/^hvs\./);
    expect(first.output()).toMatch(/^Unseal Key: [0-9a-f]{64}$/m);
    expect(first.output()).toContain(`Root Token: ${token}`);
    expect(first.output()).toContain('initialized (1 key share, threshold 1)');
    expect(first.output()).toMatch(/leader: n[123]/);
    expect(readFileSync(join(dataDir, 'dev.env'), 'utf8')).toBe(`export COFFER_ADDR=${address}\nexport COFFER_TOKEN=${token}\n`);
    expect(mode(join(dataDir, 'dev.env'))).toBe(0o600);
    expect(mode(join(dataDir, 'dev-keys.json'))).toBe(0o600);
    expect(cofferProcessesFor(dataDir, 'server')).toHaveLength(3);

    const client = new CofferClient({ address, token, env: {}, timeoutMs: 20_000 });
    expect((await client.kv.put('hello', { foo: 'world' })).version).toBe(1);
    // Every node is unsealed: the last one serves the read too.
    const n3 = new CofferClient({ address: `http://127.0.0.1:${base + 20}`, token, env: {}, timeoutMs: 20_000 });
    expect((await n3.kv.get('hello'))?.data).toEqual({ foo: 'world' });

    first.proc.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('every node shut down cleanly');
    expect(cofferProcessesFor(dataDir)).toEqual([]);
  });

  it('restart on the same data: no re-init, unsealed from dev-keys.json, the value is still there; a node dying stops the rest (exit 1)', async () => {
    const before = readFileSync(join(dataDir, 'dev-keys.json'), 'utf8');
    const second = startDev(base);
    await waitForText(second.output, READY, 60_000, second.isRunning);
    const { address, token } = exportsFrom(second.output());
    expect(second.output()).toContain('reused the existing data');
    expect(second.output()).not.toContain('initialized (1 key share');
    expect(readFileSync(join(dataDir, 'dev-keys.json'), 'utf8')).toBe(before);
    for (const port of [base, base + 10, base + 20]) {
      const c = new CofferClient({ address: `http://127.0.0.1:${port}`, token, env: {}, timeoutMs: 20_000 });
      expect((await c.sys.sealStatus()).sealed, `node on ${port}`).toBe(false);
    }
    expect((await new CofferClient({ address, token, env: {}, timeoutMs: 20_000 }).kv.get('hello'))?.data).toEqual({ foo: 'world' });

    const victim = cofferProcessesFor(dataDir, 'server').find((l) => l.includes('--node-id n2 '));
    const pid = Number(victim?.trim().split(/\s+/)[0]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`n2 exited (SIGKILL); see its log ${join(dataDir, 'n2.log')}`);
    expect(cofferProcessesFor(dataDir)).toEqual([]);
  });

  it('refuses to start initialized nodes without dev-keys.json or with another --nodes, says what to do, and leaves no process', async () => {
    renameSync(join(dataDir, 'dev-keys.json'), join(dataDir, 'keys.bak'));
    try {
      const third = startDev(base);
      expect(await third.exited).toBe(1);
      expect(third.output()).toContain(`${join(dataDir, 'dev-keys.json')} is missing`);
      expect(third.output()).toContain(`Delete ${dataDir} to start over`);
      expect(await waitNoCofferProcesses(dataDir, 5_000)).toEqual([]);
    } finally {
      renameSync(join(dataDir, 'keys.bak'), join(dataDir, 'dev-keys.json'));
    }
    // The membership is fixed by the first start: another --nodes is refused before any node starts.
    const resized = startDev(base, ['--nodes', '5']);
    expect(await resized.exited).toBe(1);
    expect(resized.output()).toContain(`${dataDir} holds a 3-node cluster, not 5: run with --nodes 3`);
  });

  it('says which port is in use instead of hanging', async () => {
    const other = await freeBasePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(other + 11, '127.0.0.1', r));
    try {
      const run = startDev(other, ['--data-dir', join(root, 'ports')]);
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`127.0.0.1:${other + 11} (n2 raft/gRPC) is already in use`);
      expect(run.output()).toContain('--base-port');
      expect(existsSync(join(root, 'ports', 'n1'))).toBe(false);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('refuses bad flags with a clear message and exit code 2', () => {
    const run = (args: string[]): { status: number | null; stderr: string } => {
      try {
        execFileSync(process.execPath, [MAIN, 'dev', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        return { status: 0, stderr: '' };
      } catch (e: unknown) {
        const x = e as { status: number | null; stderr: string };
        return { status: x.status, stderr: x.stderr };
      }
    };
    expect(run(['--nodes', 'many'])).toEqual({ status: 2, stderr: 'coffer dev: --nodes must be a whole number, got "many"\n' });
    expect(run(['--nodes', '9']).stderr).toContain('between 1 and 7');
    expect(run(['--bogus', '1']).stderr).toContain('unknown flag --bogus');
  });
});
