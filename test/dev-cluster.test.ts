/**
 * `npm start` runs `coffer dev`: a 3-node cluster on loopback. As a new user would: start it, see
 * a leader, stop it with Ctrl-C (SIGINT), and find no node process left behind; start it again on
 * the same data and see it come back.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, '..', 'packages', 'cli', 'dist', 'main.js');
const root = mkdtempSync(join(tmpdir(), 'coffer-dev-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function freeBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const ports = [0, 1, 10, 11, 20, 21].map((d) => base + d);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error('no free base port found');
}

/** Node processes still running for this data dir. */
function serversFor(dataDir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes('main.js server') && l.includes(dataDir));
}

function startDev(basePort: number, dataDir: string): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [MAIN, 'dev', '--base-port', String(basePort), '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  proc.stdout?.setEncoding('utf8').on('data', (c: string) => (text += c));
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => (text += c));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, output: () => text, exited };
}

async function waitForText(output: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const m = output().match(pattern);
    if (m !== null) return m;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('coffer dev (npm start)', () => {
  it('runs a 3-node cluster, stops cleanly on Ctrl-C, and restarts on the same data', async () => {
    const dataDir = join(root, 'dev');
    const base = await freeBasePort();
    const first = startDev(base, dataDir);
    const leader = await waitForText(first.output, /leader: (n[123])/, 30_000);
    expect(['n1', 'n2', 'n3']).toContain(leader[1]);
    expect(first.output()).toContain(`127.0.0.1:${base + 1}`);
    expect(serversFor(dataDir)).toHaveLength(3);
    first.proc.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('every node shut down cleanly');
    expect(serversFor(dataDir)).toEqual([]);

    // Again, on the same data: the nodes find their state and elect a leader.
    for (const n of ['n1', 'n2', 'n3']) expect(existsSync(join(dataDir, n))).toBe(true);
    const second = startDev(base, dataDir);
    await waitForText(second.output, /leader: n[123]/, 30_000);
    second.proc.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(serversFor(dataDir)).toEqual([]);
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
