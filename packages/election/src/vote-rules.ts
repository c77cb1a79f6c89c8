/**
 * The voting rule, as a pure decision. The caller has already adopted a higher term for a real
 * vote request (a pre-vote never changes the voter's term).
 */

/** Raft's up-to-date check: last log term first, then last log index. */
export function isLogUpToDate(
  candidateLastTerm: number,
  candidateLastIndex: number,
  voterLastTerm: number,
  voterLastIndex: number,
): boolean {
  return (
    candidateLastTerm > voterLastTerm ||
    (candidateLastTerm === voterLastTerm && candidateLastIndex >= voterLastIndex)
  );
}

export interface VoteRequestFacts {
  readonly isPreVote: boolean;
  /** Term in the request (for a pre-vote: the term the candidate would take). */
  readonly requestTerm: number;
  readonly voterTerm: number;
  /** Who the voter voted for in voterTerm (null: nobody). */
  readonly votedFor: string | null;
  /** The leader the voter knows of in voterTerm (null: none). */
  readonly knownLeader: string | null;
  readonly candidate: string;
  readonly candidateLastTerm: number;
  readonly candidateLastIndex: number;
  readonly voterLastTerm: number;
  readonly voterLastIndex: number;
  /** True when the voter heard from a live leader within the minimum election timeout. */
  readonly isInLeaderLease: boolean;
  /** The request comes from a leadership transfer: the lease is ignored on purpose. */
  readonly isTransfer: boolean;
  /** Test-only broken rule: skip the up-to-date check. */
  readonly skipLogCheck?: boolean;
}

export type VoteDecision =
  | { readonly kind: 'ignore'; readonly reason: 'in-lease' }
  | { readonly kind: 'reject'; readonly reason: 'stale-term' | 'already-voted' | 'log-behind' }
  | { readonly kind: 'grant' };

/**
 * Decides a (pre-)vote request.
 * - In lease (heard from a leader within the minimum timeout) and not a transfer: ignore it, so a
 *   node that was partitioned cannot depose a healthy leader (the lease half of pre-vote/check-quorum).
 * - A stale term is rejected.
 * - A real vote is granted at most once per term; a pre-vote for a future term may always be granted.
 * - The candidate's log must be at least as up to date as the voter's.
 */
export function decideVote(f: VoteRequestFacts): VoteDecision {
  if (f.isInLeaderLease && !f.isTransfer && f.requestTerm > f.voterTerm) {
    return { kind: 'ignore', reason: 'in-lease' };
  }
  if (f.requestTerm < f.voterTerm) return { kind: 'reject', reason: 'stale-term' };
  const canVote =
    f.votedFor === f.candidate ||
    (f.votedFor === null && f.knownLeader === null) ||
    (f.isPreVote && f.requestTerm > f.voterTerm);
  if (!canVote) return { kind: 'reject', reason: 'already-voted' };
  const upToDate =
    f.skipLogCheck === true ||
    isLogUpToDate(f.candidateLastTerm, f.candidateLastIndex, f.voterLastTerm, f.voterLastIndex);
  if (!upToDate) return { kind: 'reject', reason: 'log-behind' };
  return { kind: 'grant' };
}
