/**
 * Argument parsing for the client commands, as the vault CLI reads them: `-flag=value`,
 * `-flag value`, `--flag` (one or two dashes), boolean flags bare or `=true|false`, list flags
 * repeatable and comma-separated. Flags may come before or after the positionals (vault warns on the
 * latter; we accept it); `--` ends the flags and a lone `-` is a positional (stdin).
 * Pure: no I/O. Errors are values naming the flag and what to do.
 */
import { err, ok, type Result } from '@coffer/base';

export type FlagKind = 'string' | 'bool' | 'int' | 'list';

export interface FlagSpec {
  readonly kind: FlagKind;
  /** e.g. "Number of key shares to split the root key into." */
  readonly usage: string;
  /** Shown in -h; the getters take their own fallback. */
  readonly default?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export class ParsedArgs {
  constructor(
    /** Raw values by flag name, in order of appearance. */
    private readonly values: ReadonlyMap<string, readonly string[]>,
    readonly positionals: readonly string[],
    readonly isHelp: boolean,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }
  /** The last value given, or undefined. */
  string(name: string): string | undefined {
    return this.values.get(name)?.at(-1);
  }
  bool(name: string): boolean {
    return this.string(name) === 'true';
  }
  /** Validated at parse time: an int flag that is present parses. */
  int(name: string): number | undefined {
    const v = this.string(name);
    return v === undefined ? undefined : Number(v);
  }
  /** Every value given, commas split, empties dropped. */
  list(name: string): string[] {
    return (this.values.get(name) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  }
}

const HELP = new Set(['h', 'help']);

export function parseArgs(argv: readonly string[], specs: FlagSpecs): Result<ParsedArgs, string> {
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  let isHelp = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    if (HELP.has(name)) {
      isHelp = true;
      continue;
    }
    const spec = specs[name];
    if (spec === undefined) return err(`flag provided but not defined: -${name}`);
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (spec.kind === 'bool') value = 'true';
    else {
      const next = argv[i + 1];
      if (next === undefined) return err(`flag needs an argument: -${name}`);
      value = next;
      i++;
    }
    if (spec.kind === 'bool') {
      if (value !== 'true' && value !== 'false') return err(`invalid boolean value "${value}" for -${name}: use -${name} or -${name}=false`);
    } else if (spec.kind === 'int' && !/^-?\d+$/.test(value)) {
      return err(`invalid value "${value}" for -${name}: must be an integer`);
    }
    const list = values.get(name) ?? [];
    list.push(value);
    values.set(name, list);
  }
  return ok(new ParsedArgs(values, positionals, isHelp));
}

/** The flag lines of a usage text, aligned. */
export function flagHelp(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const arg = s.kind === 'bool' ? '' : s.kind === 'int' ? '=<int>' : '=<string>';
    const dflt = s.default === undefined ? '' : ` (default: ${s.default})`;
    return [`  -${name}${arg}`, `${s.usage}${dflt}`] as const;
  });
  const width = Math.max(0, ...rows.map(([l]) => l.length));
  return rows.map(([l, r]) => `${l.padEnd(width)}    ${r}`).join('\n');
}
