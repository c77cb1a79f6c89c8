/**
 * An ordered map of storage paths: a Map for lookups plus a sorted key array for range reads.
 * Order is Unicode code point order, which is exactly the byte order of the UTF-8 keys in
 * LevelDB (`@coffer/storage`), so a listing from memory and from disk agree. JS `<` compares
 * UTF-16 code units and would put U+E000..U+FFFF after astral characters; `comparePaths` fixes that.
 *
 * Inserting a new key costs a binary search plus an array splice (a memmove): fine up to the low
 * millions of keys, which is far beyond a secrets store's working set.
 */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (astral characters) rank above every other UTF-16 unit. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit <= 0xdfff ? unit + 0x2000 : unit - 0x800;
}

export class OrderedMap<V> {
  private readonly values = new Map<string, V>();
  private readonly keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  set(key: string, value: V): void {
    if (!this.values.has(key)) {
      // Loads come in key order: appending after the last key needs no search.
      const last = this.keys[this.keys.length - 1];
      if (last === undefined || comparePaths(last, key) < 0) {
        this.keys.push(key);
        this.values.set(key, value);
        return;
      }
      const at = this.lowerBound(key);
      if (at === this.keys.length) this.keys.push(key);
      else this.keys.splice(at, 0, key);
    }
    this.values.set(key, value);
  }

  delete(key: string): boolean {
    if (!this.values.delete(key)) return false;
    this.keys.splice(this.lowerBound(key), 1);
    return true;
  }

  /** Removes every key starting with `prefix`; returns them in order. */
  deletePrefix(prefix: string): string[] {
    const from = this.lowerBound(prefix);
    let to = from;
    while (to < this.keys.length && (this.keys[to] ?? '').startsWith(prefix)) to++;
    const removed = this.keys.splice(from, to - from);
    for (const k of removed) this.values.delete(k);
    return removed;
  }

  clear(): void {
    this.values.clear();
    this.keys.length = 0;
  }

  /** Index of the first key >= `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (comparePaths(this.keys[mid] ?? '', key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  keyAt(i: number): string | undefined {
    return this.keys[i];
  }

  /** Entries in key order whose key starts with `prefix`, from `after` (exclusive) on, at most `limit`. */
  *range(prefix: string, after?: string, limit = Number.POSITIVE_INFINITY): Generator<[string, V]> {
    let i = this.lowerBound(after !== undefined && comparePaths(after, prefix) >= 0 ? after : prefix);
    if (after !== undefined && this.keys[i] === after) i++;
    let n = 0;
    for (; i < this.keys.length && n < limit; i++, n++) {
      const k = this.keys[i] ?? '';
      if (!k.startsWith(prefix)) return;
      const v = this.values.get(k);
      if (v !== undefined) yield [k, v];
    }
  }
}
