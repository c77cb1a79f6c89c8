/**
 * Logs a repeated identical problem once per interval instead of once per occurrence: a peer that
 * refuses us would otherwise log on every reconnect, many times a second across a cluster.
 * The next record after a quiet period says how many were suppressed.
 */
import type { LogFields, Logger } from '@coffer/base';

export class RateLimitedLog {
  private readonly last = new Map<string, { atMs: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly nowMs: () => number,
  ) {}

  warn(key: string, msg: string, fields: LogFields = {}): void {
    this.emit('warn', key, msg, fields);
  }

  error(key: string, msg: string, fields: LogFields = {}): void {
    this.emit('error', key, msg, fields);
  }

  private emit(level: 'warn' | 'error', key: string, msg: string, fields: LogFields): void {
    const now = this.nowMs();
    const seen = this.last.get(key);
    if (seen !== undefined && now - seen.atMs < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    // Bound the map: keys include peer ids and status details, which a hostile peer could vary.
    if (this.last.size >= 1024 && seen === undefined) this.last.clear();
    this.last.set(key, { atMs: now, suppressed: 0 });
    this.logger[level](msg, suppressed > 0 ? { ...fields, suppressed } : fields);
  }
}
