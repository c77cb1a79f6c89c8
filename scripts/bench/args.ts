/**
 * `--name value` options of the benchmark scripts: positive integers with a default. A bad value
 * or an unknown option stops the script with a message saying what is accepted.
 */

export function parseOptions<K extends string>(argv: readonly string[], defaults: Readonly<Record<K, number>>, usage: string): Record<K, number> {
  const out: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const name = flag.replace(/^--/, '');
    const raw = argv[i + 1];
    if (!flag.startsWith('--') || !(name in defaults)) throw new Error(`unknown option '${flag}'\n${usage}`);
    const v = Number(raw);
    if (raw === undefined || !Number.isInteger(v) || v <= 0) throw new Error(`${flag} needs a positive integer, got '${raw ?? ''}'\n${usage}`);
    out[name] = v;
  }
  return out as Record<K, number>;
}
