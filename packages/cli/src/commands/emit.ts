/** Writing a command's result in the chosen format, and the shared input helpers. */
import { UsageError, type Ctx } from './command.js';
import { jsonOut } from './format.js';

/** JSON mode prints `json` (the raw API data, as vault does); table mode prints `table()`. */
export function emit(ctx: Ctx, json: unknown, table: () => string): void {
  if (ctx.format === 'json') ctx.io.out(jsonOut(json));
  else ctx.io.out(`${table()}\n`);
}

/** Exactly `n` positionals (or between min and max), else a usage error naming what is expected. */
export function positionals(ctx: Ctx, min: number, max: number, what: string): readonly string[] {
  const p = ctx.args.positionals;
  if (p.length < min) throw new UsageError(`not enough arguments (expected ${what}, got ${p.length})`);
  if (p.length > max) throw new UsageError(`too many arguments (expected ${what}, got ${p.length})`);
  return p;
}

/**
 * A secret the user types or pipes (an unseal or rekey share): from the argument, else a hidden
 * prompt on a terminal, else all of stdin (trimmed).
 */
export async function secretInput(ctx: Ctx, given: string | undefined, prompt: string): Promise<string> {
  if (given !== undefined && given !== '-') return given.trim();
  const v = given === undefined && ctx.io.isStdinTty ? await ctx.io.promptHidden(prompt) : (await ctx.io.readStdin()).toString('utf8');
  const key = v.trim();
  if (key === '') throw new UsageError('no key given: pass it as an argument, type it at the prompt, or pipe it on stdin');
  return key;
}

/** The raw field value vault's -field prints: strings as-is, anything else as JSON. */
export function printField(ctx: Ctx, data: Readonly<Record<string, unknown>> | null | undefined, field: string): number {
  if (data === null || data === undefined || !(field in data)) {
    ctx.io.err(`Field "${field}" not present in secret\n`);
    return 1;
  }
  const v = data[field];
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  // As vault: no trailing newline when piped, so `$(coffer kv get -field=x ...)` is byte-exact.
  ctx.io.out(ctx.io.isStdoutTty ? `${text}\n` : text);
  return 0;
}
