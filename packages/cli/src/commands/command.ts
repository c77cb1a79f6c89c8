/**
 * What a client command is and what it is given: parsed flags, an SDK client for the chosen
 * address, the output format and the process's I/O behind a small port (so tests can fake it).
 */
import type { CofferClient, Env } from '@coffer/client';
import type { FlagSpecs, ParsedArgs } from './args.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** All of stdin (piped input). */
  readStdin(): Promise<Buffer>;
  /** Reads one line from the terminal without echoing it. */
  promptHidden(prompt: string): Promise<string>;
  readonly isStdinTty: boolean;
  readonly isStdoutTty: boolean;
  readFile(path: string): Buffer;
  writeFile(path: string, bytes: Uint8Array): void;
  readonly env: Env;
}

export type OutputFormat = 'table' | 'json';

export interface Ctx {
  readonly io: Io;
  readonly args: ParsedArgs;
  readonly format: OutputFormat;
  readonly address: string;
  readonly client: CofferClient;
  readonly hasToken: boolean;
}

/** A client command: vault-style flags, runs against the HTTP API. Returns the exit code. */
export interface ClientCommand {
  readonly kind: 'client';
  /** Words after `coffer`, e.g. "operator raft list-peers". */
  readonly path: string;
  readonly synopsis: string;
  /** The text after "Usage: coffer <path> ": arguments and a description. */
  readonly help: string;
  readonly flags: FlagSpecs;
  run(ctx: Ctx): Promise<number>;
}

/** A command that parses its own arguments (server, dev, gateway, loadtest). */
export interface RawCommand {
  readonly kind: 'raw';
  readonly path: string;
  readonly synopsis: string;
  run(argv: readonly string[], io: Io): Promise<number>;
}

export type Command = ClientCommand | RawCommand;

/** Bad invocation: exit 2 with the message and a pointer to -h. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the command already explained (exit 1 with this message). */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}
