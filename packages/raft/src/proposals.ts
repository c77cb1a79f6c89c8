/** Proposals on the leader: commands and membership changes, and why one may be refused. */
import type { CofferError, LogIndex, Result, Term } from '@coffer/base';
import { assert, cofferError, err, ok } from '@coffer/base';
import { encodeConfChange, validateConfChange } from './conf-change.js';
import type { Raft } from './raft.js';
import type { ConfChange } from './types.js';

export function propose(r: Raft, data: Uint8Array): Result<{ index: LogIndex; term: Term }, CofferError> {
  const refusal = refuseProposal(r, data.length);
  if (refusal !== undefined) return err(refusal);
  const [e] = r.appendEntries([{ type: 'normal', data }]);
  assert(e !== undefined, 'one entry was appended');
  return ok({ index: e.index, term: e.term });
}

/** One change at a time, and only once this leader committed an entry of its own term. */
export function proposeConfChange(r: Raft, cc: ConfChange): Result<{ index: LogIndex; term: Term }, CofferError> {
  const data = encodeConfChange(cc);
  const refusal = refuseProposal(r, data.length);
  if (refusal !== undefined) return err(refusal);
  if (r.pendingConfIndex > r.log.committed || !r.hasCommittedInTerm()) {
    return err(cofferError('unavailable', 'a membership change is in progress; retry once it commits'));
  }
  const valid = validateConfChange(r.conf.current(), cc);
  if (!valid.ok) return valid;
  const [e] = r.appendEntries([{ type: 'conf-change', data }]);
  assert(e !== undefined, 'one entry was appended');
  r.pendingConfIndex = e.index;
  return ok({ index: e.index, term: e.term });
}

function refuseProposal(r: Raft, size: number): CofferError | undefined {
  if (r.role !== 'leader') {
    return r.leader === null
      ? cofferError('no-leader', 'no leader is known; retry shortly')
      : cofferError('not-leader', `not the leader; the leader is ${r.leader}`, r.leader);
  }
  if (r.transfer.transferee !== null) {
    return cofferError('unavailable', `leadership is being transferred to ${r.transfer.transferee}; retry shortly`);
  }
  if (!r.isPromotable() && r.voters().length > 0 && !r.prs.has(r.id)) {
    return cofferError('not-leader', 'this node was removed from the cluster');
  }
  if (r.cfg.maxUncommittedBytes > 0 && r.uncommittedBytes > 0 && r.uncommittedBytes + size > r.cfg.maxUncommittedBytes) {
    return cofferError('unavailable', 'too many uncommitted proposals; retry shortly');
  }
  return undefined;
}
