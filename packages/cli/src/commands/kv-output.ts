/** The framed blocks of vault's kv output: `== Secret Path ==`, `=== Metadata ===`, `=== Data ===`. */
import { formatValue, keyValueTable, objectTable, sectionHeader } from './format.js';

export function pathBlock(title: string, fullPath: string): string {
  return `${sectionHeader(title, fullPath.length)}\n${fullPath}`;
}

/**
 * A table under a `=== Title ===` bar as wide as vault's getHeaderForMap makes it: the longest
 * key + 4 (column glue) + 5 (len "Value").
 */
export function titledTable(title: string, data: Readonly<Record<string, unknown>>, table: string): string {
  const maxKey = Math.max(0, ...Object.keys(data).map((k) => k.length));
  return `${sectionHeader(title, maxKey + 9)}\n${table}`;
}

/** Version metadata as vault shows it: keys sorted, an empty deletion_time is `n/a`. */
export function metadataTable(meta: Readonly<Record<string, unknown>>): string {
  return keyValueTable(Object.keys(meta).sort().map((k) => {
    const v = meta[k];
    return [k, (k === 'deletion_time' || k === 'delete_version_after') && v === '' ? 'n/a' : v] as const;
  }));
}

export function dataTable(data: Readonly<Record<string, unknown>>): string {
  return objectTable(data);
}

/** A versions map ("1": {...}) as one titled block per version, oldest first. */
export function versionBlocks(versions: Readonly<Record<string, Readonly<Record<string, unknown>>>>): string[] {
  return Object.keys(versions).sort((a, b) => Number(a) - Number(b)).map((v) => titledTable(`Version ${v}`, versions[v] ?? {}, metadataTable(versions[v] ?? {})));
}

export { formatValue };
