/** Runs the built `coffer` CLI as a child process with the given environment; bounded at 30 s. */
import { spawn } from 'node:child_process';
import { CLI } from './harness.js';

export interface CliRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    p.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`coffer ${args.join(' ')}: no exit within 30 s`)); }, 30_000);
    p.on('close', (code) => { clearTimeout(timer); resolve({ code, out, err }); });
    p.stdin.end(stdin);
  });
}
