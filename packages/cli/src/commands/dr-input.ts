/**
 * Where the DR commands take their tokens from: an argument (or `-` for stdin), and the DR
 * operation token from -dr-operation-token or COFFER_DR_OPERATION_TOKEN. A missing token is a usage
 * error that says how to get one; no message ever holds a token.
 */
import { UsageError, type Ctx } from './command.js';
import type { FlagSpec } from './args.js';

export const DR_OPERATION_TOKEN_ENV = 'COFFER_DR_OPERATION_TOKEN';

export const DR_OPERATION_TOKEN_FLAG: FlagSpec = {
  kind: 'string',
  usage: `DR operation token (or batch token) authorizing the call; - reads it from stdin.`,
  default: DR_OPERATION_TOKEN_ENV,
};

export const HOW_TO_GET_DR_TOKEN =
  'generate one on this secondary from the PRIMARY\'s unseal (or recovery) key shares with coffer dr operation-token generate, or use a DR batch token made in advance on the primary (coffer dr primary batch-token)';

/** The DR operation token, or undefined when none was given. */
export async function optionalDrOperationToken(ctx: Ctx): Promise<string | undefined> {
  const flag = ctx.args.string('dr-operation-token');
  const v = flag === '-' ? (await ctx.io.readStdin()).toString('utf8') : flag ?? ctx.io.env[DR_OPERATION_TOKEN_ENV];
  const t = v?.trim();
  return t === undefined || t === '' ? undefined : t;
}

export async function requireDrOperationToken(ctx: Ctx, what: string): Promise<string> {
  const t = await optionalDrOperationToken(ctx);
  if (t === undefined) throw new UsageError(`${what} needs a DR operation token: pass -dr-operation-token=<token> or set ${DR_OPERATION_TOKEN_ENV}; ${HOW_TO_GET_DR_TOKEN}`);
  return t;
}

/**
 * A token given as an argument, `-` to read it from stdin. `allowEmpty` lets "" through (update-primary
 * with "" follows nobody).
 */
export async function tokenArgument(ctx: Ctx, given: string | undefined, what: string, allowEmpty = false): Promise<string> {
  if (given === undefined) throw new UsageError(`missing ${what}: pass it as the argument, or - to read it from stdin`);
  if (given === '-' && ctx.args.string('dr-operation-token') === '-') throw new UsageError(`only one token can come from stdin: pass the ${what} or the DR operation token another way`);
  const t = given === '-' ? (await ctx.io.readStdin()).toString('utf8').trim() : given.trim();
  if (t === '' && !(allowEmpty && given === '')) throw new UsageError(`empty ${what}: pass the token as the argument, or - to read it from stdin`);
  return t;
}
