/**
 * `coffer login [TOKEN | -]`: checks a token (lookup-self) and stores it in ~/.coffer-token (0600),
 * which the client commands use when COFFER_TOKEN and VAULT_TOKEN are unset (vault's token helper).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '@coffer/client';
import { UsageError, type ClientCommand } from './command.js';
import { secretInput } from './emit.js';
import { humanDuration, keyValueTable, quotedList } from './format.js';

export function tokenFilePath(env: Env): string | undefined {
  const home = env['HOME'];
  return home === undefined || home === '' ? undefined : join(home, '.coffer-token');
}

/** The stored token, or undefined when there is none (or it cannot be read). */
export function readStoredToken(env: Env): string | undefined {
  const path = tokenFilePath(env);
  if (path === undefined) return undefined;
  try {
    const t = readFileSync(path, 'utf8').trim();
    return t === '' ? undefined : t;
  } catch {
    return undefined;
  }
}

export const loginCommand: ClientCommand = {
  kind: 'client',
  path: 'login',
  synopsis: 'Store a token for the next commands',
  help: `[options] [TOKEN | -]

  Checks TOKEN (prompted without echo on a terminal, or read from stdin) against the server and stores
  it in ~/.coffer-token, used when COFFER_TOKEN and VAULT_TOKEN are unset.`,
  flags: {},
  async run(ctx) {
    const p = ctx.args.positionals;
    if (p.length > 1) throw new UsageError(`expected at most one TOKEN (got ${p.length} arguments)`);
    const token = await secretInput(ctx, p[0], 'Token (will be hidden): ');
    const me = await ctx.client.withToken(token).token.lookupSelf();
    const path = tokenFilePath(ctx.io.env);
    if (path === undefined) throw new UsageError('HOME is not set: cannot store the token; set COFFER_TOKEN instead');
    ctx.io.writeFile(path, Buffer.from(`${token}\n`));
    ctx.io.out(`Success! You are now authenticated. The token is stored in ${path}.\n\n`);
    ctx.io.out(`${keyValueTable([['token_accessor', me.accessor], ['token_duration', me.ttl === 0 ? '∞' : humanDuration(me.ttl)], ['token_policies', quotedList(me.policies)]])}\n`);
    return 0;
  },
};
