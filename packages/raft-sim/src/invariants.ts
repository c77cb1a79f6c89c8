/**
 * The safety checkers, kept apart from the system under test: they only watch what the nodes
 * persist, apply and report, and remember what they saw over the whole run.
 *
 * - election safety: at most one leader per term;
 * - log matching: an (index, term) pair names one entry and one predecessor term, on every node
 *   at every time (checked as entries are persisted, which by induction covers whole prefixes);
 * - committed entries are never dropped from a log (except by compaction into a snapshot, or
 *   by a stale leader of a term before the commit, on a node outside the committing quorum);
 * - leader completeness: a leader's log holds every committed entry (at the same index and term)
 *   that it has not compacted;
 * - state-machine safety: no two nodes apply different entries at one index;
 * - commit and applied never go back within one life of a node, and applied <= commit.
 */
import { logIndex, type LogIndex, type NodeId, type Term } from '@coffer/base';
import type { Entry, MemoryStorage, Role } from '@coffer/raft';
import { entryKey } from './kv-state-machine.js';

export type InvariantName =
  | 'election-safety'
  | 'log-matching'
  | 'committed-entry-dropped'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'commit-monotonic'
  | 'applied-le-commit'
  | 'convergence'
  | 'linearizability'
  | 'crash';

export interface Violation {
  readonly invariant: InvariantName;
  readonly message: string;
  readonly timeMs: number;
}

interface CommittedEntry {
  readonly term: Term;
  /**
   * An upper bound on the term in which the entry committed: the applying node's term when it
   * was first applied. Leaders of later terms must hold it; a stale leader of an older term
   * (cut off, not yet stepped down) need not.
   */
  readonly commitTermBound: number;
  readonly key: string;
  readonly appliedBy: NodeId;
}

interface NodeWatch {
  commit: number;
  applied: number;
  /** Leader completeness already checked up to this committed index, for the term in `leaderTerm`. */
  leaderTerm: number;
  leaderCheckedTo: number;
}

export class InvariantChecker {
  readonly violations: Violation[] = [];
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** `${index}:${term}` → entry content and the term of its predecessor. */
  private readonly entriesSeen = new Map<string, { key: string; prevTerm: number }>();
  private readonly committed = new Map<number, CommittedEntry>();
  private maxCommittedIndex = 0;
  private readonly watches = new Map<NodeId, NodeWatch>();

  constructor(private readonly now: () => number) {}

  get isViolated(): boolean {
    return this.violations.length > 0;
  }

  private fail(invariant: InvariantName, message: string): void {
    this.violations.push({ invariant, message, timeMs: this.now() });
  }

  observeRole(node: NodeId, role: Role, term: Term): void {
    if (role !== 'leader') return;
    const known = this.leaderOfTerm.get(term);
    if (known === undefined) this.leaderOfTerm.set(term, node);
    else if (known !== node) this.fail('election-safety', `two leaders in term ${term}: ${known} and ${node}`);
  }

  /**
   * Called before `entries` are appended to `storage` (which replaces any suffix from entries[0]),
   * `nodeTerm` being the node's term when it accepted them. A committed entry may legitimately be
   * overwritten on a node outside the quorum that committed it, by a stale leader of an older
   * term than the commit; so only a node in a term at or past the commit's (upper bound) counts.
   */
  beforeAppend(node: NodeId, storage: MemoryStorage, entries: readonly Entry[], nodeTerm: Term): void {
    const first = entries[0];
    if (first === undefined) return;
    for (let i = Math.max(first.index, storage.firstIndex()); i <= storage.lastIndex() && i <= this.maxCommittedIndex; i++) {
      const newEntry = entries[i - first.index];
      const c = this.committed.get(i);
      // Only the committed entry itself must stay; a conflicting uncommitted one may go.
      if (c === undefined || storageTerm(storage, i) !== c.term || nodeTerm < c.commitTermBound) continue;
      if (newEntry === undefined) {
        this.fail('committed-entry-dropped', `${node} dropped committed entry ${i} (term ${c.term}) from its log`);
        return;
      }
      if (newEntry.term !== c.term || entryKey(newEntry) !== c.key) {
        this.fail('committed-entry-dropped', `${node} overwrote committed entry ${i} (term ${c.term}) with term ${newEntry.term}`);
        return;
      }
    }
    let prevTerm = termAt(storage, first.index - 1, entries, first.index);
    for (const e of entries) {
      const id = `${e.index}:${e.term}`;
      const key = entryKey(e);
      const seen = this.entriesSeen.get(id);
      if (seen === undefined) this.entriesSeen.set(id, { key, prevTerm: prevTerm ?? -1 });
      else if (seen.key !== key) {
        this.fail('log-matching', `${node} holds a different entry at index ${e.index} term ${e.term} than another node did`);
        return;
      } else if (prevTerm !== undefined && seen.prevTerm !== -1 && seen.prevTerm !== prevTerm) {
        this.fail('log-matching', `${node}: entry ${e.index} term ${e.term} follows term ${prevTerm}, elsewhere term ${seen.prevTerm}`);
        return;
      }
      prevTerm = e.term;
    }
  }

  applied(node: NodeId, e: Entry, nodeTerm: Term): void {
    const key = entryKey(e);
    const c = this.committed.get(e.index);
    if (c === undefined) {
      this.committed.set(e.index, { term: e.term, commitTermBound: nodeTerm, key, appliedBy: node });
      if (e.index > this.maxCommittedIndex) this.maxCommittedIndex = e.index;
    } else if (c.term !== e.term || c.key !== key) {
      this.fail('state-machine-safety', `${node} applied term ${e.term} at index ${e.index}, ${c.appliedBy} applied term ${c.term} there`);
    }
  }

  snapshotApplied(node: NodeId, index: LogIndex, snapTerm: Term): void {
    const c = this.committed.get(index);
    if (c !== undefined && c.term !== snapTerm) {
      this.fail('state-machine-safety', `${node} installed a snapshot at ${index} term ${snapTerm}, but term ${c.term} was applied there`);
    }
  }

  restarted(node: NodeId): void {
    this.watches.delete(node);
  }

  /** Per-node checks after an event touched the node. `isQuiescent`: its log is all on disk. */
  checkNode(
    node: NodeId,
    status: { role: Role; term: Term; commit: LogIndex; applied: LogIndex },
    storage: MemoryStorage,
    isQuiescent: boolean,
  ): void {
    this.observeRole(node, status.role, status.term);
    let w = this.watches.get(node);
    if (w === undefined) {
      w = { commit: status.commit, applied: status.applied, leaderTerm: -1, leaderCheckedTo: 0 };
      this.watches.set(node, w);
    }
    if (status.commit < w.commit) this.fail('commit-monotonic', `${node}: commit went back from ${w.commit} to ${status.commit}`);
    if (status.applied < w.applied) this.fail('commit-monotonic', `${node}: applied went back from ${w.applied} to ${status.applied}`);
    if (status.applied > status.commit) this.fail('applied-le-commit', `${node}: applied ${status.applied} > commit ${status.commit}`);
    w.commit = status.commit;
    w.applied = status.applied;
    if (status.role !== 'leader' || !isQuiescent) return;
    if (w.leaderTerm !== status.term) {
      w.leaderTerm = status.term;
      w.leaderCheckedTo = 0;
    }
    const snapIndex = storage.firstIndex() - 1;
    for (let i = Math.max(w.leaderCheckedTo + 1, snapIndex + 1); i <= this.maxCommittedIndex; i++) {
      const c = this.committed.get(i);
      if (c === undefined || c.commitTermBound >= status.term) continue;
      const t = storage.term(logIndex(i));
      if (!t.ok || t.value !== c.term) {
        const has = t.ok ? `term ${t.value}` : `nothing (last index ${storage.lastIndex()})`;
        this.fail('leader-completeness', `leader ${node} of term ${status.term} has ${has} at committed index ${i} (term ${c.term})`);
        return;
      }
    }
    w.leaderCheckedTo = Math.max(w.leaderCheckedTo, this.maxCommittedIndex);
  }
}

function termAt(storage: MemoryStorage, i: number, entries: readonly Entry[], firstNew: number): number | undefined {
  if (i >= firstNew) return entries[i - firstNew]?.term;
  const t = storage.term(logIndex(i));
  return t.ok ? t.value : undefined;
}

function storageTerm(storage: MemoryStorage, i: number): number | undefined {
  const t = storage.term(logIndex(i));
  return t.ok ? t.value : undefined;
}
