import type { VerdictStatus } from './linearizability-verdict.js';

/**
 * `coffer loadtest` exit codes. Unknown is kept apart from fail: "the checker could not decide in
 * time" needs a bigger time limit, "not linearizable" needs a bug fix. Neither is a pass.
 */
export const LOADTEST_EXIT = { pass: 0, fail: 1, usage: 2, unknown: 3, runFailed: 4 } as const;

export function exitCodeOf(verdicts: readonly VerdictStatus[]): number {
  if (verdicts.includes('fail')) return LOADTEST_EXIT.fail;
  if (verdicts.includes('unknown')) return LOADTEST_EXIT.unknown;
  return LOADTEST_EXIT.pass;
}
