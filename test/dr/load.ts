/**
 * A bounded write load for the DR drill: `writers` concurrent clients, each writing its own
 * sequence of KV v2 secrets round-robin through a site's nodes (standbys forward), until stopped
 * or `maxMs` passed. Every acknowledged write is recorded with its acknowledgement time, so the
 * drill can tell which acknowledged writes a promoted secondary holds.
 */
import { tryCall } from './http.js';

export interface AckedWrite {
  readonly path: string;
  readonly value: string;
  /** Date.now() when the 200 arrived. */
  readonly ackedAtMs: number;
}

export class WriteLoad {
  readonly acked: AckedWrite[] = [];
  errors = 0;
  private isStopping = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly urls: readonly string[],
    private readonly token: string,
    private readonly prefix: string,
  ) {}

  start(writers: number, maxMs: number): void {
    const until = performance.now() + maxMs;
    this.running = Promise.all(Array.from({ length: writers }, (_, w) => this.writer(w, until))).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.isStopping = true;
    await this.running;
  }

  private async writer(w: number, until: number): Promise<void> {
    for (let seq = 0; !this.isStopping && performance.now() < until && seq < 1_000_000; seq++) {
      const url = this.urls[(w + seq) % this.urls.length] ?? '';
      const path = `secret/data/${this.prefix}/w${w}-${seq}`;
      const value = `v-${w}-${seq}`;
      const r = await tryCall(url, 'POST', path, { data: { value } }, this.token, 3_000);
      if (r.status === 200) this.acked.push({ path, value, ackedAtMs: Date.now() });
      else {
        this.errors += 1;
        // A dead or cut-off node answers at once: do not spin on it.
        if (r.status === 0) await new Promise((res) => setTimeout(res, 50));
      }
    }
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
