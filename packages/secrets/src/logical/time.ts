/**
 * Vault's time and duration formats, from leader milliseconds.
 * - Timestamps: Go's RFC3339Nano (`2018-03-22T02:24:06.945319214Z`), which drops trailing zeros of
 *   the fraction and the dot when the fraction is zero. Our clock is in ms, so at most 3 digits.
 * - Durations: Go's `time.Duration.String()` (`0s`, `90s` -> `1m30s`, `1h0m0s`).
 */
export function rfc3339(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2018-03-22T02:24:06.945Z
  const [whole, frac = ''] = iso.slice(0, -1).split('.');
  const trimmed = frac.replace(/0+$/, '');
  return trimmed.length > 0 ? `${whole}.${trimmed}Z` : `${whole}Z`;
}

export function goDuration(totalSeconds: number): string {
  if (totalSeconds === 0) return '0s';
  const sign = totalSeconds < 0 ? '-' : '';
  let s = Math.abs(totalSeconds);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses Vault's duration input: an integer number of seconds (number or numeric string) or a Go
 * duration string of whole seconds (`1h30m`, `45s`, `2d` as Vault's parseutil allows). Undefined
 * when the input is not a duration.
 */
export function parseDurationSeconds(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (/^-?\d+$/.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  const m = /^(-?)((?:\d+[smhd])+)$/.exec(s);
  if (m === null) return undefined;
  let total = 0;
  for (const part of (m[2] ?? '').matchAll(/(\d+)([smhd])/g)) total += Number(part[1]) * (UNIT_SECONDS[part[2] ?? 's'] ?? 1);
  if (!Number.isSafeInteger(total)) return undefined;
  return m[1] === '-' ? -total : total;
}
