/**
 * Samples the cluster's leader every `intervalMs` for the whole run and keeps the changes (not
 * every sample): the leader-change count, the progress line and the fault target come from here.
 */
import type { ClusterControl, LeaderSample } from './types.js';

export interface LeaderWatch {
  readonly samples: LeaderSample[];
  /** The leader known at the last sample, or undefined. */
  current(): string | undefined;
  stop(): Promise<void>;
}

export function watchLeader(control: ClusterControl, nowMs: () => number, intervalMs = 100): LeaderWatch {
  const samples: LeaderSample[] = [];
  let isStopped = false;
  let wake: () => void = () => undefined;
  const loop = (async () => {
    while (!isStopped) {
      const l = await control.leader().catch(() => undefined);
      const last = samples.at(-1);
      const leader = l?.id ?? null;
      const term = l?.term ?? null;
      if (last === undefined || last.leader !== leader || last.term !== term) samples.push({ atMs: nowMs(), leader, term });
      if (isStopped) break;
      await new Promise<void>((r) => {
        const t = setTimeout(r, intervalMs);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  })();
  return {
    samples,
    current: () => samples.at(-1)?.leader ?? undefined,
    async stop() {
      isStopped = true;
      wake();
      await loop;
    },
  };
}
