/**
 * Leader-only background work that changes replicated state, each step as an ordinary proposal
 * (no node decides anything by its own clock at apply time):
 * - rotate the keyring once the active term nears its encryption bound (AES-GCM's safety limit);
 * - checkpoint the active term's encryption count now and then, so that a new leader does not
 *   start from an old, lower count;
 * - revoke tokens whose TTL has passed (they are already refused on use; this removes them).
 * One step runs at a time, under one client id per node with increasing sequence numbers.
 */
import { isWritable } from '@coffer/dr-replication';
import { sweepExpiredTokens } from '@coffer/secrets';
import type { LogicalService } from './logical-service.js';
import type { HandleRequest } from './ports.js';
import { leaderRotate } from './sys-leader.js';

export interface MaintenanceOptions {
  readonly intervalMs: number;
  readonly checkpointEveryMs: number;
  readonly sweepEveryMs: number;
}

export const DEFAULT_MAINTENANCE: MaintenanceOptions = { intervalMs: 1000, checkpointEveryMs: 30_000, sweepEveryMs: 60_000 };

export class LeaderMaintenance {
  private timer: NodeJS.Timeout | undefined;
  private isRunning = false;
  private lastSeq = 0;
  private lastCheckpointMs = 0;
  private lastSweepMs = 0;

  constructor(
    private readonly svc: LogicalService,
    private readonly opts: MaintenanceOptions = DEFAULT_MAINTENANCE,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** One pass; returns what it did (for tests and logs). */
  async runOnce(): Promise<readonly string[]> {
    const { rt, barrier, logger } = this.svc.deps;
    // A DR secondary's data is the primary's (its own writes are refused); a fenced primary writes nothing.
    if (this.isRunning || rt.isStopped || rt.roleNow() !== 'leader' || barrier.isSealed() || !isWritable(this.svc.deps.sm.drState())) return [];
    this.isRunning = true;
    const done: string[] = [];
    try {
      const now = rt.now();
      if (barrier.isRotationDue()) {
        const r = await leaderRotate(this.svc, this.request('sys/rotate'));
        if (r.ok && r.value.status < 300) done.push('rotated');
        else logger.warn('automatic keyring rotation did not complete; retrying next pass', { status: r.ok ? r.value.status : 0 });
      } else if (now - this.lastCheckpointMs >= this.opts.checkpointEveryMs) {
        const p = barrier.prepareKeyringCheckpoint();
        if (p.ok) {
          const r = await this.svc.proposeCoreWrites(this.request('sys/rotate/checkpoint'), [p.value.write], [], 0);
          if (r.ok && r.value.outcome.ok) done.push('checkpoint');
        }
        this.lastCheckpointMs = now;
      }
      if (now - this.lastSweepMs >= this.opts.sweepEveryMs) {
        const swept = await sweepExpiredTokens(this.svc.executorFor(this.request('auth/token/tidy')).executor);
        if (swept.ok && swept.value.revoked > 0) done.push(`revoked ${swept.value.revoked}`);
        this.lastSweepMs = now;
      }
    } catch (e: unknown) {
      logger.error('leader maintenance failed', { error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.isRunning = false;
    }
    if (done.length > 0) logger.info('leader maintenance', { done: done.join(', ') });
    return done;
  }

  /** Sequence numbers grow across restarts too (from the clock), as the dedup table requires. */
  private request(path: string): HandleRequest {
    this.lastSeq = Math.max(this.lastSeq + 1, this.svc.deps.rt.now());
    return { requestId: { clientId: `maintenance:${this.svc.deps.rt.id}`, seq: this.lastSeq }, operation: 'update', path, body: undefined, query: {}, token: '' };
  }
}
