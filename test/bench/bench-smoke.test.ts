/**
 * Smoke test of `npm run bench:http` (scripts/bench-http.ts): with 1-second phases, 4 connections
 * and a small key space it must start a 3-node Coffer and a 3-member etcd (etcd 3.4 must be on
 * PATH: CI installs etcd-server), drive all four phases without a single failed request, read a
 * sample of keys back, print the comparison, exit 0, and leave none of its processes behind.
 * Takes ~10 s on a quiet 2-core machine, mostly starting the 3 Coffer nodes (48 s at load 19).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let child: ChildProcess | undefined;

afterAll(() => {
  // SIGTERM, not SIGKILL: the script's reaper then kills the clusters it started.
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

/** The command lines (pgrep -f) of running processes that mention `dir`. */
function processesUsing(dir: string): Promise<string> {
  return new Promise((resolve) => {
    const ps = spawn('pgrep', ['-a', '-f', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    ps.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    ps.once('exit', () => resolve(out.trim()));
  });
}

interface ResultRow { system: string; op: string; reqPerSec: { median: number }; p99Ms: number; non2xx: number; errors: number }

it('bench:http measures both systems with no failed request and cleans up', async () => {
  const args = ['--conditions=@coffer/source', '--import', 'tsx', 'scripts/bench-http.ts', '--seconds', '1', '--rounds', '1', '--connections', '4', '--keys', '50'];
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  proc.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  const context = `stdout:\n${stdout}\nstderr:\n${stderr.slice(-4000)}`;
  expect(code, context).toBe(0);
  const line = stdout.split('\n').find((l) => l.startsWith('bench-result '));
  expect(line, context).toBeDefined();
  const { rows } = JSON.parse((line ?? '').slice('bench-result '.length)) as { rows: ResultRow[] };
  expect(rows.map((r) => `${r.system}/${r.op}`).sort()).toEqual(['coffer/read', 'coffer/write', 'etcd/read', 'etcd/write']);
  for (const r of rows) {
    expect(r.reqPerSec.median, `${r.system} ${r.op}`).toBeGreaterThan(0);
    expect(r.p99Ms, `${r.system} ${r.op}`).toBeGreaterThan(0);
    expect([r.non2xx, r.errors], `${r.system} ${r.op}`).toEqual([0, 0]);
  }
  expect(stdout).toMatch(/^coffer\/etcd write: req\/s \d+\.\d\dx/m);
  expect(stdout).toMatch(/^coffer\/etcd read : req\/s \d+\.\d\dx/m);
  expect(stdout).toContain('read-back of 20 sampled keys per system: all match');
  // Nothing the script started is left: no process runs on its data dirs, and they are gone.
  const dirs = /^data dirs: (\S+) (\S+) /m.exec(stdout)?.slice(1) ?? [];
  expect(dirs, context).toHaveLength(2);
  for (const dir of dirs) {
    expect(await processesUsing(dir), dir).toBe('');
    expect(existsSync(dir), dir).toBe(false);
  }
});
