#!/usr/bin/env node
/**
 * The `coffer` binary: every command is an entry of the table in commands/table.ts (server, dev,
 * gateway, loadtest, status, operator ..., kv ..., token ..., policy ..., audit ..., read/write/
 * list/delete). Exit codes: 0 ok, 1 runtime or server error, 2 usage error (and `status`: 2 sealed).
 */
import { processIo } from './commands/io.js';
import { runCli } from './commands/run.js';

runCli(process.argv.slice(2), processIo).then(
  // Exit explicitly: a stopped server must not linger on a client channel's reconnect timer.
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`coffer: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
