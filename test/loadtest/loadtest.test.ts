/**
 * `coffer loadtest --spawn 3` end to end, from the BUILT cli: it starts its own cluster, drives
 * the workload through the HTTP API while it kills / pauses / partitions the leader, and must end
 * with exit 0, both verdicts "pass" in report.json, a leader change after every fault, an HTML
 * report, and none of the processes it spawned left running. Short runs (12 s each) for CI; the
 * issue's 60 s runs are the same command with --duration 60s --every 10s.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadtestReport } from '@coffer/loadtest';
import { CLI } from '../cluster/harness.js';

const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI to completion, killed (and failed) if it outlives `timeoutMs`. */
function runCli(args: readonly string[], timeoutMs: number): Promise<CliRun> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGINT'), timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function loadtest(failover: string): Promise<{ run: CliRun; report: LoadtestReport; out: string }> {
  const out = mkdtempSync(join(tmpdir(), 'coffer-loadtest-'));
  dirs.push(out);
  const run = await runCli(['loadtest', '--spawn', '3', '--duration', '12s', '--warmup', '1s', '--failover', failover, '--every', '4s', '--down-for', '1500ms', '--op-timeout', '10s', '--out', out], 110_000);
  const file = join(out, 'report.json');
  if (!existsSync(file)) throw new Error(`no report (exit ${run.code}):\n${run.stderr}\n${run.stdout}`);
  return { run, report: JSON.parse(readFileSync(file, 'utf8')) as LoadtestReport, out };
}

function expectHealthyRun(r: { run: CliRun; report: LoadtestReport; out: string }, kinds: readonly string[], minFaults: number): void {
  const { run, report, out } = r;
  const why = `${run.stdout}\n${run.stderr.slice(-3000)}`;
  expect(run.code, why).toBe(0);
  expect(report.verdicts.linearizability.verdict, why).toBe('pass');
  expect(report.verdicts.durability.verdict, why).toBe('pass');
  expect(report.exitCode).toBe(0);
  // Faults due at 4 s and 8 s of the 12 s measured run, in the order asked for, each followed by a
  // new leader. The schedule skips a fault that a slow recovery pushed into the last second (a
  // killed node's restart + unseal takes seconds on a loaded machine), so only the first is certain.
  expect(report.faults.length, why).toBeGreaterThanOrEqual(minFaults);
  expect(report.faults.map((f) => f.kind)).toEqual(kinds.slice(0, report.faults.length));
  for (const f of report.faults) {
    expect(f.error, why).toBeUndefined();
    expect(f.node).toMatch(/^n[123]$/);
    expect(f.recoverMs).not.toBeNull();
  }
  for (const w of report.summary.faults) expect(w.leaderChanges, why).toBeGreaterThanOrEqual(1);
  expect(report.summary.leaderChanges).toBeGreaterThanOrEqual(report.faults.length);
  // The workload ran and was checked. Low bars: on a loaded 2-core box a 3-node cluster manages
  // only a few acknowledged ops per second through elections every few seconds.
  expect(report.verdicts.durability.acknowledgedWrites, why).toBeGreaterThanOrEqual(3);
  expect(report.verdicts.durability.keysChecked).toBeGreaterThanOrEqual(1);
  expect(report.verdicts.linearizability.opsChecked, why).toBeGreaterThanOrEqual(6);
  expect(run.stdout).toMatch(/linearizability: PASS/);
  expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('class="fault-marker"');
  // Not a TTY: the progress line is printed every few seconds, not redrawn.
  expect(run.stderr).toMatch(/ops\/s {2}p99 [\d.]+ ms .* leader /);
  // Every process it spawned (restarts included) is gone.
  const pids = (report.cluster?.['pids'] ?? []) as number[];
  expect(pids.length).toBeGreaterThanOrEqual(3);
  expect(pids.filter(isAlive)).toEqual([]);
}

describe('coffer loadtest --spawn 3', () => {
  it('kills the leader every 4 s: exit 0, both verdicts pass, a leader change per fault, nothing left running', async () => {
    expectHealthyRun(await loadtest('kill'), ['kill', 'kill'], 1);
  }, 120_000);

  it('pauses, then partitions the leader: the same', async () => {
    // Both recover at once (SIGCONT, clearing the fault switch), so both faults always happen.
    expectHealthyRun(await loadtest('pause,partition'), ['pause', 'partition'], 2);
  }, 120_000);
});
