/**
 * The live progress line on stderr: a bar, throughput over the last second, p99 over the last
 * five seconds, errors and the current leader. On a TTY it redraws one line every 500 ms; into a
 * file or pipe it writes a plain line every 5 s instead (a log must not fill with redraws).
 */
import { percentile } from './stats.js';
import type { OpRecord } from './types.js';

export interface ProgressSource {
  readonly records: readonly OpRecord[];
  readonly nowMs: () => number;
  readonly measureStartMs: number;
  readonly endMs: number;
  readonly leader: () => string | undefined;
}

export interface ProgressStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
}

export function progressLine(s: ProgressSource, width = 24): string {
  const now = s.nowMs();
  const total = s.endMs - s.measureStartMs;
  const elapsed = Math.min(total, Math.max(0, now - s.measureStartMs));
  const filled = Math.round((elapsed / total) * width);
  let lastSecond = 0;
  let errors = 0;
  const recent: number[] = [];
  // Records are appended in completion order: walk back over the last five seconds only.
  for (let i = s.records.length - 1; i >= 0; i--) {
    const r = s.records[i] as OpRecord;
    if (r.completeMs < now - 5000) break;
    if (r.outcome !== 'ok') {
      errors++;
      continue;
    }
    recent.push(r.completeMs - r.invokeMs);
    if (r.completeMs >= now - 1000) lastSecond++;
  }
  const p99 = percentile(recent.sort((a, b) => a - b), 99);
  const phase = now < s.measureStartMs ? 'warm-up ' : '';
  return `${phase}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(elapsed / 1000).toFixed(0)}/${(total / 1000).toFixed(0)} s  ${lastSecond} ops/s  p99 ${p99.toFixed(1)} ms  errors(5s) ${errors}  leader ${s.leader() ?? 'none'}`;
}

export function startProgress(stream: ProgressStream, source: ProgressSource): { stop(): void } {
  const isTTY = stream.isTTY === true;
  const timer = setInterval(() => {
    const line = progressLine(source);
    stream.write(isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
  }, isTTY ? 500 : 5000);
  return {
    stop() {
      clearInterval(timer);
      if (isTTY) stream.write('\r\x1b[2K');
    },
  };
}
