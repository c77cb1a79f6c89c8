/**
 * The checkers have teeth: switch on each deliberately broken rule of the core
 * (`unsafeTestingFaults`, test-only) and the sweep must catch it within 300 seeds. Each flag runs
 * under the fault mix that produces its dangerous schedule; the default mix also catches all four
 * (see README), but less often, so these pin the mix to keep the test fast and robust.
 */
import type { UnsafeTestingFaults } from '@coffer/raft';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STEPS } from './defaults.js';
import type { FaultKind } from './faults.js';
import type { InvariantName } from './invariants.js';
import { runSweep } from './sweep.js';

const MAX_SEEDS = 300;

interface Case {
  readonly flag: keyof UnsafeTestingFaults;
  /** The fault mix that makes its schedule likely (undefined = each seed draws its own). */
  readonly faults: readonly FaultKind[] | undefined;
  /** Invariants that may legitimately report this bug first. */
  readonly caughtBy: readonly InvariantName[];
}

const CASES: readonly Case[] = [
  // Figure 8: many short terms, fresh leaders cut off, a leader cut off right after it commits.
  { flag: 'commitPreviousTermByCounting', faults: ['leader-churn'], caughtBy: ['leader-completeness', 'state-machine-safety', 'linearizability'] },
  // A stale node wins an election and overwrites committed entries.
  { flag: 'skipVoteLogCheck', faults: undefined, caughtBy: ['leader-completeness', 'state-machine-safety', 'committed-entry-dropped', 'linearizability'] },
  // A reordered, stale append truncates entries the follower had acknowledged.
  { flag: 'truncateOnMatch', faults: ['reorder', 'duplicate', 'delay'], caughtBy: ['committed-entry-dropped', 'leader-completeness', 'state-machine-safety', 'convergence'] },
  // A leader paused past its term (a GC pause, SIGSTOP) serves a read without a heartbeat round.
  { flag: 'readIndexWithoutQuorum', faults: ['pause'], caughtBy: ['linearizability'] },
];

describe('unsafeTestingFaults are caught by the sweep', () => {
  for (const c of CASES) {
    it(`catches ${c.flag} within ${MAX_SEEDS} seeds`, () => {
      const report = runSweep({
        startSeed: 1,
        seeds: MAX_SEEDS,
        steps: DEFAULT_STEPS,
        unsafeTestingFaults: { [c.flag]: true },
        ...(c.faults === undefined ? {} : { faults: c.faults }),
        stopAtFirstFailure: true,
      });
      const first = report.failures[0];
      expect(first, `no violation in ${report.seedsRun} seeds`).toBeDefined();
      expect(c.caughtBy).toContain(first?.violations[0]?.invariant);
    }, 60_000);
  }
});
