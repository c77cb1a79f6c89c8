import { describe, expect, it } from 'vitest';
import { flagHelp, parseArgs, type FlagSpecs } from './args.js';

const SPECS: FlagSpecs = {
  mount: { kind: 'string', usage: 'mount' },
  version: { kind: 'int', usage: 'version' },
  force: { kind: 'bool', usage: 'force' },
  policy: { kind: 'list', usage: 'policy' },
};

const parse = (argv: string[]) => {
  const r = parseArgs(argv, SPECS);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('parseArgs (vault flag syntax)', () => {
  it('reads -flag=value, -flag value and --flag alike', () => {
    for (const argv of [['-mount=kv', 'a'], ['-mount', 'kv', 'a'], ['--mount=kv', 'a'], ['--mount', 'kv', 'a']]) {
      const a = parse(argv);
      expect(a.string('mount'), argv.join(' ')).toBe('kv');
      expect(a.positionals).toEqual(['a']);
    }
  });

  it('takes flags after positionals, and keeps k=v pairs, "-" and everything after "--" as positionals', () => {
    const a = parse(['secret/x', 'k=v', '-version=2', 'k2=-', '-', '--', '-force']);
    expect(a.positionals).toEqual(['secret/x', 'k=v', 'k2=-', '-', '-force']);
    expect(a.int('version')).toBe(2);
    expect(a.bool('force')).toBe(false);
  });

  it('reads bools bare or =true|false without eating the next argument', () => {
    expect(parse(['-force', 'x']).bool('force')).toBe(true);
    expect(parse(['-force', 'x']).positionals).toEqual(['x']);
    expect(parse(['-force=false']).bool('force')).toBe(false);
    expect(parseArgs(['-force=yes'], SPECS)).toEqual({ ok: false, error: 'invalid boolean value "yes" for -force: use -force or -force=false' });
  });

  it('repeats and comma-splits list flags; the last value wins for the others', () => {
    const a = parse(['-policy=a,b', '-policy', 'c', '-mount=x', '-mount=y']);
    expect(a.list('policy')).toEqual(['a', 'b', 'c']);
    expect(a.string('mount')).toBe('y');
    expect(a.list('nothing')).toEqual([]);
  });

  it('refuses unknown flags, a missing value and a non-integer', () => {
    expect(parseArgs(['-nope'], SPECS)).toEqual({ ok: false, error: 'flag provided but not defined: -nope' });
    expect(parseArgs(['-mount'], SPECS)).toEqual({ ok: false, error: 'flag needs an argument: -mount' });
    expect(parseArgs(['-version=x'], SPECS)).toEqual({ ok: false, error: 'invalid value "x" for -version: must be an integer' });
  });

  it('sees -h, -help and --help anywhere', () => {
    for (const h of ['-h', '-help', '--help']) expect(parse(['a', h]).isHelp).toBe(true);
    expect(parse(['a']).isHelp).toBe(false);
  });

  it('aligns the flag help', () => {
    expect(flagHelp({ a: { kind: 'bool', usage: 'A.' }, long: { kind: 'string', usage: 'L.', default: 'x' } })).toBe('  -a                A.\n  -long=<string>    L. (default: x)');
  });
});
