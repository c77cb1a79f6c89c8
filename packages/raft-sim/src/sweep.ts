/** Runs many seeds and gathers their violations; the CLI and the tests share it. */
import type { UnsafeTestingFaults } from '@coffer/raft';
import type { FaultKind } from './faults.js';
import { runSimulation, type SimResult } from './simulation.js';

export interface SweepOptions {
  readonly startSeed: number;
  readonly seeds: number;
  readonly steps: number;
  readonly faults?: readonly FaultKind[];
  readonly unsafeTestingFaults?: UnsafeTestingFaults;
  /** Stop at the first failing seed (the teeth tests want only to know one exists). */
  readonly stopAtFirstFailure?: boolean;
  readonly trace?: boolean;
  readonly onResult?: (r: SimResult) => void;
}

export interface SweepReport {
  readonly seedsRun: number;
  readonly failures: readonly SimResult[];
  readonly unknownLinearizability: number;
  readonly completedOps: number;
}

export function runSweep(o: SweepOptions): SweepReport {
  const failures: SimResult[] = [];
  let seedsRun = 0;
  let unknownLinearizability = 0;
  let completedOps = 0;
  for (let seed = o.startSeed; seed < o.startSeed + o.seeds; seed++) {
    const r = runSimulation({
      seed,
      steps: o.steps,
      ...(o.faults === undefined ? {} : { faults: o.faults }),
      ...(o.trace === true ? { trace: true } : {}),
      ...(o.unsafeTestingFaults === undefined ? {} : { unsafeTestingFaults: o.unsafeTestingFaults }),
    });
    seedsRun++;
    completedOps += r.completedOps;
    if (r.linearizability === 'unknown') unknownLinearizability++;
    o.onResult?.(r);
    if (r.violations.length > 0) {
      failures.push(r);
      if (o.stopAtFirstFailure === true) break;
    }
  }
  return { seedsRun, failures, unknownLinearizability, completedOps };
}

/** The exact command that replays one seed (with the same fault pin and step count when not default). */
export function replayCommand(seed: number, steps: number, defaultSteps: number, faults: readonly FaultKind[] | undefined): string {
  const parts = ['npm run sim -- --seed', String(seed)];
  if (steps !== defaultSteps) parts.push('--steps', String(steps));
  if (faults !== undefined) parts.push('--faults', faults.join(','));
  return parts.join(' ');
}
