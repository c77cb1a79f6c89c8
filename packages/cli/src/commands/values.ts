/**
 * The `k=v` data of `write` and `kv put`, as vault's kvbuilder reads it: `k=value`, `k=@file`
 * (the file's contents), `k=-` (all of stdin), a lone `-` or `@file.json` (a JSON object merged
 * in). A repeated key becomes a list. Stdin can be read once. Values are kept byte-exact.
 */
import { UsageError, type Io } from './command.js';

export async function buildData(pairs: readonly string[], io: Io): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  let stdinUsed = false;
  const stdin = async (): Promise<string> => {
    if (stdinUsed) throw new UsageError('stdin can be read only once: use "-" for at most one value');
    stdinUsed = true;
    return (await io.readStdin()).toString('utf8');
  };
  const file = (path: string): string => {
    try {
      return io.readFile(path).toString('utf8');
    } catch (e: unknown) {
      throw new UsageError(`cannot read ${path}: ${e instanceof Error && 'code' in e ? String(e.code) : 'unreadable'}; check the path after "@"`);
    }
  };
  const add = (key: string, value: unknown): void => {
    const prev = out[key];
    out[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  };
  for (const [i, p] of pairs.entries()) {
    if (p === '-' || (p.startsWith('@') && !p.includes('='))) {
      const text = p === '-' ? await stdin() : file(p.slice(1));
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new UsageError(`${p === '-' ? 'stdin' : p.slice(1)} is not a JSON object: give one, or use key=value pairs`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${p === '-' ? 'stdin' : p.slice(1)} must hold a JSON object`);
      for (const [k, v] of Object.entries(parsed)) add(k, v);
      continue;
    }
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid key/value pair (data argument ${i + 1}): the format is key=value (or key=@file, key=-)`);
    const key = p.slice(0, eq);
    const raw = p.slice(eq + 1);
    if (raw === '-') add(key, await stdin());
    else if (raw.startsWith('@')) add(key, file(raw.slice(1)));
    else add(key, raw);
  }
  return out;
}
