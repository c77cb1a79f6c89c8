/** Small numeric helpers for the benchmark reports. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Milliseconds, one decimal below 100 ms (autocannon records whole ms; the kill gaps are finer). */
export function fmtMs(ms: number): string {
  return Number.isNaN(ms) ? '?' : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

/** a/b as "0.42x", or "?" when b is 0 or either is not a number. */
export function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}x` : '?';
}
