/** An `Io` twin: captures stdout/stderr, serves scripted stdin and an in-memory file system. */
import type { Io } from './command.js';

export interface FakeIo extends Io {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly files: Map<string, Buffer>;
}

export function fakeIo(options: { stdin?: string; env?: Record<string, string>; isStdinTty?: boolean; hidden?: string } = {}): FakeIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const files = new Map<string, Buffer>();
  return {
    stdout, stderr, files,
    out: (t) => void stdout.push(t),
    err: (t) => void stderr.push(t),
    readStdin: () => Promise.resolve(Buffer.from(options.stdin ?? '')),
    promptHidden: () => Promise.resolve(options.hidden ?? ''),
    isStdinTty: options.isStdinTty ?? false,
    isStdoutTty: false,
    readFile: (p) => {
      const f = files.get(p);
      if (f === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return f;
    },
    writeFile: (p, b) => void files.set(p, Buffer.from(b)),
    env: options.env ?? {},
  };
}
