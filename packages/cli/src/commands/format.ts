/**
 * Vault's table output: aligned columns glued by four spaces, a `Key/Value` header with dashes,
 * values printed as Go's `%v` would (`<nil>`, `[a b]`, `map[k:v]`), durations as vault's
 * `humanDuration` (768h, 1h30m, 0s). Pure: builds strings, writes nothing.
 */

/** Columns aligned as vault's columnize does (glue = 4 spaces); the last column is not padded. */
export function columns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('    ').trimEnd()).join('\n');
}

/** A two-column table with vault's `Key / Value` header. */
export function keyValueTable(pairs: readonly (readonly [string, unknown])[]): string {
  return columns([['Key', 'Value'], ['---', '-----'], ...pairs.map(([k, v]) => [k, formatValue(v)] as const)]);
}

/** A header row, its dashes, then the rows (e.g. `Path  Type  Description`). */
export function headedTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return columns([header, header.map((h) => '-'.repeat(h.length)), ...rows]);
}

/** Every field of an object, keys sorted, as vault prints a secret's data. */
export function objectTable(data: Readonly<Record<string, unknown>>): string {
  return keyValueTable(Object.keys(data).sort().map((k) => [k, data[k]] as const));
}

/** `== Title ==` as vault's padEqualSigns frames kv output: the bars span the content's width. */
export function sectionHeader(title: string, contentWidth = 0): string {
  let signs = contentWidth - (title.length + 2);
  if (signs <= 0) signs = 4;
  if (signs % 2 !== 0) signs += 1;
  const bar = '='.repeat(signs / 2);
  return `${bar} ${title} ${bar}`;
}

/** Go's `%v` for decoded JSON. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${formatValue(o[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** `["a" "b"]`, as vault prints policy lists. */
export function quotedList(items: readonly string[]): string {
  return `[${items.map((i) => JSON.stringify(i)).join(' ')}]`;
}

/** Seconds as vault's humanDuration: Go's Duration.String with trailing zero units dropped. */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds === 0) return '0s';
  const sign = seconds < 0 ? '-' : '';
  let s = Math.round(Math.abs(seconds));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h > 0) return `${sign}${h}h${m > 0 || s > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`.replace(/h0m(\d+s)$/, 'h$1');
  if (m > 0) return `${sign}${m}m${s > 0 ? `${s}s` : ''}`;
  return `${sign}${s}s`;
}

/** The JSON vault prints for -format=json: 2-space indented, newline-terminated. */
export function jsonOut(v: unknown): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}
