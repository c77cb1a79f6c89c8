/**
 * Helpers shared by the `coffer dev` / `npm start` tests: free port blocks, the processes left for
 * a data dir (from `ps`), a child whose output is collected, and a bounded wait on that output.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A base port P such that P+10*i and P+10*i+1 are free for `nodes` nodes. */
export async function freeBasePort(nodes = 3): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const ports = Array.from({ length: nodes }, (_, i) => [base + 10 * i, base + 10 * i + 1]).flat();
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error('no free base port found');
}

/** `coffer` processes (servers, and `dev` itself) still running for this data dir, as `ps` lines. */
export function cofferProcessesFor(dataDir: string, kind: 'server' | 'dev' | 'any' = 'any'): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  const marks = kind === 'any' ? ['main.js server', 'main.js dev'] : [`main.js ${kind}`];
  return out.split('\n').filter((l) => l.includes(dataDir) && marks.some((m) => l.includes(m)));
}

export interface Child {
  readonly proc: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  readonly isRunning: () => boolean;
}

export function startChild(command: string, args: readonly string[], options: SpawnOptions = {}): Child {
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let text = '';
  proc.stdout?.setEncoding('utf8').on('data', (c: string) => (text += c));
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => (text += c));
  let isRunning = true;
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      isRunning = false;
      resolve(code);
    }),
  );
  return { proc, output: () => text, exited, isRunning: () => isRunning };
}

/**
 * Polls the child's output for `pattern`; throws with the output so far after `timeoutMs`, or at
 * once when `isRunning` says the child has exited without printing it.
 */
export async function waitForText(output: () => string, pattern: RegExp, timeoutMs: number, isRunning: () => boolean = () => true): Promise<RegExpMatchArray> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const m = output().match(pattern);
    if (m !== null) return m;
    if (!isRunning()) throw new Error(`exited before printing ${pattern}; output:\n${output()}`);
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output so far:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits (bounded) until `ps` shows no coffer process for the data dir; returns what is left. */
export async function waitNoCofferProcesses(dataDir: string, timeoutMs: number): Promise<string[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const left = cofferProcessesFor(dataDir);
    if (left.length === 0 || performance.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The two export lines as printed; throws when either is missing. */
export function exportsFrom(output: string): { address: string; token: string } {
  const address = output.match(/^export COFFER_ADDR=(\S+)$/m)?.[1];
  const token = output.match(/^export COFFER_TOKEN=(\S+)$/m)?.[1];
  if (address === undefined || token === undefined) throw new Error(`no export lines in:\n${output}`);
  return { address, token };
}

/** Kills what a failed test left behind (by pid, from `ps`), so the run leaves no process. */
export function killLeftovers(dataDir: string): void {
  for (const line of cofferProcessesFor(dataDir)) {
    const pid = Number(line.trim().split(/\s+/)[0]);
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
