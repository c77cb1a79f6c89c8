/**
 * Kills every process a benchmark started, and removes its temp dirs, however the benchmark ends:
 * normal return, thrown error, Ctrl-C (SIGINT), SIGTERM/SIGHUP, or an uncaught error. The work is
 * synchronous (SIGKILL to each live pid, rmSync), so it is bounded and also runs from an 'exit'
 * handler. Sources are callbacks, so a process restarted mid-run (a new ChildProcess) is found too.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

type ProcSource = () => Iterable<ChildProcess | undefined>;

const sources: ProcSource[] = [];
const dirs: string[] = [];
let isInstalled = false;

/** Registers processes to SIGKILL at the end (called again at reap time: pass a live view). */
export function trackProcs(source: ProcSource): void {
  sources.push(source);
}

/** Registers a temp dir to remove at the end. */
export function trackDir(dir: string): void {
  dirs.push(dir);
}

/** SIGKILLs every tracked live process and removes the tracked dirs. Idempotent, synchronous. */
export function reapSync(): void {
  for (const source of sources) {
    for (const p of source()) {
      if (p === undefined || p.exitCode !== null || p.signalCode !== null) continue;
      try {
        p.kill('SIGCONT'); // a SIGSTOPped process still dies on SIGKILL, but be explicit
        p.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

/**
 * Runs `main` with the reaper armed: exit 0 on success, 1 on error (message on stderr), 130 on
 * Ctrl-C. `main` may return a non-zero exit code (e.g. a benchmark whose requests failed).
 */
export function runBench(name: string, main: () => Promise<number>): void {
  if (!isInstalled) {
    isInstalled = true;
    process.on('exit', reapSync);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(sig, () => {
        process.stderr.write(`\n${name}: ${sig}, killing the clusters\n`);
        reapSync();
        process.exit(sig === 'SIGINT' ? 130 : 143);
      });
    }
  }
  main().then(
    (code) => {
      reapSync();
      process.exit(code);
    },
    (e: unknown) => {
      process.stderr.write(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      reapSync();
      process.exit(1);
    },
  );
}
