/**
 * Failover injection: every `everyMs` of the measured run, find the leader and hurt it; kill,
 * pause and partition are undone `downForMs` later. Invariant: when `done` resolves, every fault
 * this schedule injected has been recovered (or its recovery failed and says so), so the final
 * reads see a whole cluster.
 */
import type { FailoverOptions } from './options.js';
import type { ClusterControl, FaultKind, FaultRecord } from './types.js';

interface FaultSteps {
  readonly inject: (id: string) => Promise<void>;
  readonly recover?: (id: string) => Promise<void>;
}

/** The control's methods for a kind, or a message saying what is missing. */
export function faultSteps(control: ClusterControl, kind: FaultKind): FaultSteps | string {
  const need = (what: string): string => `--failover ${kind} needs ${what}, which this cluster cannot do (use --spawn, step-down or --fault-command)`;
  switch (kind) {
    case 'kill':
      if (control.kill === undefined || control.restart === undefined) return need('kill/restart');
      return { inject: control.kill.bind(control), recover: control.restart.bind(control) };
    case 'pause':
      if (control.pause === undefined || control.resume === undefined) return need('pause/resume');
      return { inject: control.pause.bind(control), recover: control.resume.bind(control) };
    case 'partition':
      if (control.partition === undefined || control.heal === undefined) return need('partition/heal');
      return { inject: control.partition.bind(control), recover: control.heal.bind(control) };
    case 'step-down':
      if (control.stepDown === undefined) return need('step-down');
      return { inject: control.stepDown.bind(control) };
    case 'command':
      if (control.command === undefined) return need('a fault command');
      return { inject: control.command.bind(control) };
  }
}

export interface FaultSchedule {
  readonly faults: FaultRecord[];
  /** Stops injecting new faults; resolves once the ones injected are recovered. */
  stop(): Promise<void>;
}

const LEADER_WAIT_MS = 10_000;

export function startFaultSchedule(
  control: ClusterControl,
  o: FailoverOptions,
  timing: { readonly nowMs: () => number; readonly startMs: number; readonly endMs: number },
  /** The leader a watcher saw last (cheap, fresh to ~100 ms); asked of the control when unknown. */
  knownLeader: () => string | undefined = () => undefined,
): FaultSchedule {
  const faults: FaultRecord[] = [];
  let isStopped = false;
  let wake: () => void = () => undefined;
  // libuv measures timers from the loop's cached time, so on a busy loop a timer can fire a few ms
  // before `atMs` by the monotonic clock: sleep again for what is left (bounded: 100 rounds).
  const sleepUntil = async (atMs: number): Promise<void> => {
    let isWoken = false;
    for (let round = 0; round < 100 && !isWoken && timing.nowMs() < atMs; round++) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, Math.ceil(atMs - timing.nowMs())));
        wake = () => {
          isWoken = true;
          clearTimeout(t);
          r();
        };
      });
    }
  };
  const steps: FaultSteps[] = [];
  for (const kind of o.kinds) {
    const s = faultSteps(control, kind);
    if (typeof s === 'string') throw new Error(s);
    steps.push(s);
  }

  const loop = (async () => {
    for (let k = 1; steps.length > 0; k++) {
      const kind = o.kinds[(k - 1) % o.kinds.length] as FaultKind;
      const step = steps[(k - 1) % steps.length] as FaultSteps;
      const atMs = timing.startMs + k * o.everyMs;
      // A fault too close to the end would leave no time to see its effect (a slow recovery of
      // the previous one can push this one late).
      const lastMs = timing.endMs - Math.min(1000, o.everyMs / 2);
      if (atMs >= lastMs) return;
      await sleepUntil(atMs);
      if (isStopped || timing.nowMs() >= lastMs) return;
      const leader = knownLeader() ?? (await findLeader(control, timing.nowMs));
      const record: FaultRecord = { kind, node: leader ?? '', injectMs: timing.nowMs(), recoverMs: null };
      faults.push(record);
      if (leader === undefined) {
        record.error = `no leader found within ${LEADER_WAIT_MS} ms; fault skipped`;
        continue;
      }
      try {
        await step.inject(leader);
      } catch (e: unknown) {
        record.error = `inject: ${messageOf(e)}`;
        continue;
      }
      if (step.recover === undefined) continue;
      // Recover even when stopped: the final reads need the whole cluster.
      await sleepUntil(record.injectMs + o.downForMs);
      try {
        await step.recover(leader);
      } catch (e: unknown) {
        record.error = `recover: ${messageOf(e)}`;
      }
      record.recoverMs = timing.nowMs();
    }
  })();
  return {
    faults,
    async stop() {
      isStopped = true;
      // Wakes a wait for the next fault; a wait for a recovery is woken too, which only shortens it.
      wake();
      await loop;
    },
  };
}

async function findLeader(control: ClusterControl, nowMs: () => number): Promise<string | undefined> {
  const deadline = nowMs() + LEADER_WAIT_MS;
  for (;;) {
    const l = await control.leader().catch(() => undefined);
    if (l !== undefined) return l.id;
    if (nowMs() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
