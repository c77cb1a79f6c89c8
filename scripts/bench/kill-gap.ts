/**
 * The write gap a client sees when the leader dies: `writers` concurrent write loops, each
 * sending one 1 KiB write at a time to the members in turn (a request to the dead member fails
 * at once and the loop moves on) with a per-request timeout. Once they are in steady state the
 * leader gets SIGKILL; the gap is the longest interval between two successive successful writes
 * (over all loops) from steady state until `afterWrites` writes issued after the kill succeeded.
 * Then the killed member restarts on its data dir and must serve again before the next kill.
 */
import { send, type KvSystem } from './kv-system.js';
import { keyName } from './phase.js';
import { waitFor } from '../../test/cluster/harness.js';

export interface KillGapOptions {
  readonly writers: number;
  readonly requestTimeoutMs: number;
}

export interface KillGap {
  readonly victim: string;
  /** Longest interval between successive successful writes around the kill. */
  readonly gapMs: number;
  /** From the SIGKILL to the first success of a write issued after it. */
  readonly firstWriteMs: number;
  /** Writes that failed or timed out (expected around a kill: counted, not an error). */
  readonly failedWrites: number;
}

const STEADY_WRITES = 20;
const AFTER_WRITES = 20;
/** After a failed write (refused connection, 5xx), pause before the next try so as not to spin. */
const RETRY_PAUSE_MS = 10;

export async function measureKillGap(system: KvSystem, o: KillGapOptions): Promise<KillGap> {
  const victim = await system.leader(30_000);
  const successMs: number[] = [];
  let killedAtMs = Number.POSITIVE_INFINITY;
  let firstWriteMs = Number.POSITIVE_INFINITY;
  let afterKill = 0;
  let failedWrites = 0;
  let isStopping = false;
  const loops = Array.from({ length: o.writers }, async (_, w) => {
    for (let i = 0; !isStopping && i < 1_000_000; i++) {
      const id = system.ids[(w + i) % system.ids.length] as string;
      const issuedMs = performance.now();
      const r = await send(system, id, system.request('write', keyName(w)), o.requestTimeoutMs);
      if (r !== undefined && r.status >= 200 && r.status < 300) {
        const doneMs = performance.now();
        successMs.push(doneMs);
        if (issuedMs >= killedAtMs) {
          afterKill++;
          firstWriteMs = Math.min(firstWriteMs, doneMs - killedAtMs);
        }
      } else {
        failedWrites++;
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
  });
  try {
    await waitFor(`${system.name}: ${STEADY_WRITES} writes before the kill`, 20_000, () => (successMs.length >= STEADY_WRITES ? true : undefined), 5);
    const fromIndex = successMs.length - 1; // the gap is measured from the last write before the kill
    killedAtMs = performance.now();
    await system.kill(victim);
    await waitFor(`${system.name}: ${AFTER_WRITES} writes after killing the leader ${victim}`, 60_000, () => (afterKill >= AFTER_WRITES ? true : undefined), 5);
    isStopping = true;
    await Promise.all(loops);
    const times = successMs.slice(fromIndex).sort((a, b) => a - b);
    let gapMs = 0;
    for (let i = 1; i < times.length; i++) gapMs = Math.max(gapMs, (times[i] as number) - (times[i - 1] as number));
    return { victim, gapMs, firstWriteMs, failedWrites };
  } finally {
    isStopping = true;
    await Promise.all(loops);
    await system.restart(victim);
  }
}

/** Checks a member answers a write again (used after a restart, before the next kill). */
export async function writesServed(system: KvSystem, timeoutMs: number): Promise<void> {
  const leader = await system.leader(timeoutMs);
  await waitFor(`${system.name}: a write through ${leader}`, timeoutMs, async () => {
    const r = await send(system, leader, system.request('write', keyName(0)), 5_000);
    return r !== undefined && r.status < 300 ? true : undefined;
  }, 50);
}
