/**
 * The dispatcher: finds the command named by the leading words, parses vault-style flags for
 * client commands (global: -address, -format), builds the SDK client, runs it and turns a failure
 * into one explained line on stderr. Exit codes: 0 ok, 1 error from the server or the connection,
 * 2 usage error (and what a command returns itself, e.g. `status` 2 when sealed).
 */
import { addressFromEnv, CofferClient, tokenFromEnv } from '@coffer/client';
import { flagHelp, parseArgs, type FlagSpecs } from './args.js';
import type { ClientCommand, Ctx, Io, OutputFormat } from './command.js';
import { explainError } from './errors.js';
import { readStoredToken } from './login.js';
import { COMMANDS, commandsUnder, resolveCommand } from './table.js';
import { columns } from './format.js';

export const GLOBAL_FLAGS: FlagSpecs = {
  address: { kind: 'string', usage: 'Address of the Coffer server.', default: 'COFFER_ADDR, VAULT_ADDR or http://127.0.0.1:8200' },
  format: { kind: 'string', usage: 'Output format: table or json.', default: 'table' },
};

export function commandUsage(c: ClientCommand): string {
  const local = Object.keys(c.flags).length > 0 ? `\n\nCommand Options:\n${flagHelp(c.flags)}` : '';
  return `Usage: coffer ${c.path} ${c.help}\n\nHTTP Options:\n${flagHelp(GLOBAL_FLAGS)}${local}`;
}

export function groupUsage(words: readonly string[]): string {
  const subs = commandsUnder(words);
  const name = ['coffer', ...words].join(' ');
  return `Usage: ${name} <subcommand> [options] [args]\n\nSubcommands:\n${columns(subs.map((s) => [`  ${s.name}`, s.synopsis]))}${
    words.length === 0 ? '\n\nRun "coffer <command> -h" for a command\'s options. Address: -address, COFFER_ADDR or VAULT_ADDR; token: COFFER_TOKEN or VAULT_TOKEN.' : ''
  }`;
}

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const { command, words, rest } = resolveCommand(argv, COMMANDS);
  if (command === undefined) {
    const asked = rest[0];
    const wantsHelp = asked === '-h' || asked === '-help' || asked === '--help';
    if (asked !== undefined && !wantsHelp) io.err(`coffer: unknown command "${[...words, asked].join(' ')}"\n`);
    (wantsHelp ? io.out : io.err)(`${groupUsage(words)}\n`);
    return wantsHelp ? 0 : 2;
  }
  if (command.kind === 'raw') return command.run(rest, io);
  return runClientCommand(command, rest, io);
}

async function runClientCommand(command: ClientCommand, argv: readonly string[], io: Io): Promise<number> {
  const name = `coffer ${command.path}`;
  const parsed = parseArgs(argv, { ...GLOBAL_FLAGS, ...command.flags });
  if (!parsed.ok) {
    io.err(`${name}: ${parsed.error}\nRun "${name} -h" for usage.\n`);
    return 2;
  }
  const args = parsed.value;
  if (args.isHelp) {
    io.out(`${commandUsage(command)}\n`);
    return 0;
  }
  const format = args.string('format') ?? 'table';
  if (format !== 'table' && format !== 'json') {
    io.err(`${name}: -format must be table or json (got "${format}")\n`);
    return 2;
  }
  const address = args.string('address') ?? addressFromEnv(io.env);
  try {
    new URL(address);
  } catch {
    io.err(`${name}: the address "${address}" is not a URL: use e.g. http://127.0.0.1:8200 (-address or COFFER_ADDR)\n`);
    return 2;
  }
  const token = tokenFromEnv(io.env) ?? readStoredToken(io.env);
  const client = new CofferClient({ address, env: io.env, ...(token !== undefined ? { token } : {}) });
  const ctx: Ctx = { io, args, format: format as OutputFormat, address, client, hasToken: token !== undefined };
  try {
    return await command.run(ctx);
  } catch (e: unknown) {
    const x = explainError(e, { address, hasToken: ctx.hasToken });
    io.err(`${name}: ${x.message}\n${x.exitCode === 2 ? `Run "${name} -h" for usage.\n` : ''}`);
    return x.exitCode;
  }
}
