import type { CofferError, LogIndex, NodeId, Result } from '@coffer/base';
import { cofferError, err, logIndex, nodeId, ok, term } from '@coffer/base';
import type { ConfChange, ConfState, Entry, HardState } from './types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeConfChange(cc: ConfChange): Uint8Array {
  return encoder.encode(JSON.stringify({ type: cc.type, node: cc.node }));
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  const v: unknown = JSON.parse(decoder.decode(data));
  if (typeof v !== 'object' || v === null) throw new Error('conf change: not an object');
  const o = v as Record<string, unknown>;
  if (o['type'] !== 'add-voter' && o['type'] !== 'add-learner' && o['type'] !== 'promote' && o['type'] !== 'remove') {
    throw new Error('conf change: bad type');
  }
  if (typeof o['node'] !== 'string' || o['node'] === '') throw new Error('conf change: bad node');
  return { type: o['type'], node: nodeId(o['node']) };
}

/** Validates a change against the configuration it would apply to. */
export function validateConfChange(conf: ConfState, cc: ConfChange): Result<void, CofferError> {
  const isVoter = conf.voters.includes(cc.node);
  const isLearner = conf.learners.includes(cc.node);
  switch (cc.type) {
    case 'add-voter':
      return err(cofferError('invalid-request', `add ${cc.node} as a learner first; it is promoted once caught up`));
    case 'add-learner':
      if (isVoter || isLearner) return err(cofferError('invalid-request', `${cc.node} is already a member`));
      return ok(undefined);
    case 'promote':
      if (!isLearner) return err(cofferError('invalid-request', `${cc.node} is not a learner; add it as a learner first`));
      return ok(undefined);
    case 'remove':
      if (!isVoter && !isLearner) return err(cofferError('not-found', `${cc.node} is not a member`));
      if (isVoter && conf.voters.length === 1) return err(cofferError('invalid-request', `cannot remove the last voter ${cc.node}`));
      return ok(undefined);
  }
}

/** The configuration after the change (assumes it validated). */
export function applyConfChange(conf: ConfState, cc: ConfChange): ConfState {
  const without = (xs: readonly NodeId[]): NodeId[] => xs.filter((x) => x !== cc.node);
  switch (cc.type) {
    case 'add-voter':
      return { voters: [...without(conf.voters), cc.node], learners: without(conf.learners) };
    case 'add-learner':
      return { voters: without(conf.voters), learners: [...without(conf.learners), cc.node] };
    case 'promote':
      return { voters: [...without(conf.voters), cc.node], learners: without(conf.learners) };
    case 'remove':
      return { voters: without(conf.voters), learners: without(conf.learners) };
  }
}

/**
 * The configuration as the log says it: a base (from the snapshot) plus the conf-change entries
 * above it. A configuration takes effect when its entry is appended, so the effective one is the
 * latest in the log, and a truncated conf-change entry takes its configuration with it.
 */
export class ConfHistory {
  private base: ConfState;
  private baseIndex: LogIndex;
  private changes: { index: LogIndex; term: number; conf: ConfState }[] = [];

  constructor(base: ConfState, baseIndex: LogIndex) {
    this.base = base;
    this.baseIndex = baseIndex;
  }

  current(): ConfState {
    return this.changes.length > 0 ? (this.changes[this.changes.length - 1] as { conf: ConfState }).conf : this.base;
  }

  /** Index of the latest conf-change entry (or the base's index). */
  latestIndex(): LogIndex {
    return this.changes.length > 0 ? (this.changes[this.changes.length - 1] as { index: LogIndex }).index : this.baseIndex;
  }

  at(index: LogIndex): ConfState {
    let conf = this.base;
    for (const c of this.changes) {
      if (c.index > index) break;
      conf = c.conf;
    }
    return conf;
  }

  reset(base: ConfState, baseIndex: LogIndex): void {
    this.base = base;
    this.baseIndex = baseIndex;
    this.changes = [];
  }

  /**
   * Bring the history in line with the log after entries were appended: drop changes the log no
   * longer holds (truncated), then record conf-change entries among `appended` that it does hold.
   * `holds` must answer true for entries compacted away (committed, so never truncated).
   */
  sync(appended: readonly Entry[], matches: (index: LogIndex, term: number) => boolean): void {
    this.changes = this.changes.filter((c) => matches(c.index, c.term));
    for (const e of appended) {
      if (e.type !== 'conf-change' || !matches(e.index, e.term)) continue;
      if (this.changes.some((c) => c.index === e.index)) continue;
      const last = this.changes[this.changes.length - 1];
      const prev = last === undefined || last.index < e.index ? this.current() : this.at(e.index);
      const cc = decodeConfChange(e.data);
      this.changes.push({ index: e.index, term: e.term, conf: applyConfChange(prev, cc) });
      this.changes.sort((a, b) => a.index - b.index);
    }
  }

  /** Fold changes at or below `index` into the base: nothing at or below it will be asked again. */
  foldTo(index: LogIndex): void {
    while (this.changes.length > 0 && (this.changes[0] as { index: LogIndex }).index <= index) {
      const c = this.changes.shift() as { index: LogIndex; conf: ConfState };
      this.base = c.conf;
      this.baseIndex = c.index;
    }
  }
}

/**
 * The log a founding member starts with (as etcd and hashicorp/raft do): one committed
 * conf-change entry per founding member at term 1, so the initial configuration travels in the log
 * like every later change and a node that joins with an empty log learns it from the leader.
 */
export function bootstrapLog(confState: ConfState): { entries: Entry[]; hardState: HardState } {
  const changes: ConfChange[] = [
    ...confState.voters.map((node): ConfChange => ({ type: 'add-voter', node })),
    ...confState.learners.map((node): ConfChange => ({ type: 'add-learner', node })),
  ];
  const entries = changes.map(
    (cc, i): Entry => ({ term: term(1), index: logIndex(i + 1), type: 'conf-change', data: encodeConfChange(cc) }),
  );
  return { entries, hardState: { term: term(entries.length > 0 ? 1 : 0), vote: null, commit: logIndex(entries.length) } };
}
