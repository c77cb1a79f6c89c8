/** The real process I/O behind the `Io` port: stdout/stderr, stdin, files, a hidden prompt. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Io } from './command.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks);
}

/**
 * One line from a TTY in raw mode, echoing nothing (an unseal key must not land in the terminal's
 * scrollback). Ctrl-C aborts, Backspace edits.
 */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let line = '';
    const done = (e?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (e !== undefined) reject(e);
      else resolve(line);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('interrupted'));
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else line += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

export const processIo: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  readStdin: () => readAll(process.stdin),
  promptHidden,
  isStdinTty: process.stdin.isTTY === true,
  isStdoutTty: process.stdout.isTTY === true,
  readFile: (p) => readFileSync(p),
  writeFile: (p, bytes) => writeFileSync(p, bytes, { mode: 0o600 }),
  env: process.env,
};
