/**
 * The transcripts' state machine: a string map fed by `key=value` commands. It also follows the
 * configuration as of its applied index, from the committed conf-change entries: a founding
 * member's log starts with one `add-voter`/`add-learner` entry per founding member (the bootstrap
 * configuration is in the log, not in a snapshot), and later changes follow. The `snapshot`
 * command checks this replay against the core's `confStateAt(applied)`.
 * Invariant: entries are applied in index order without gaps (applied increases by exactly one).
 */
import type { LogIndex } from '@coffer/base';
import { assert, logIndex } from '@coffer/base';
import type { ConfState, Entry, Snapshot } from '@coffer/raft';
import { applyConfChange, decodeConfChange } from '@coffer/raft';

const utf8 = new TextDecoder();
const toUtf8 = new TextEncoder();

export function encodeCommand(key: string, value: string): Uint8Array {
  return toUtf8.encode(`${key}=${value}`);
}

export class KvStateMachine {
  applied: LogIndex;
  confState: ConfState;
  readonly data = new Map<string, string>();

  constructor(applied: LogIndex, confState: ConfState) {
    this.applied = applied;
    this.confState = confState;
  }

  static fromSnapshot(s: Snapshot): KvStateMachine {
    const sm = new KvStateMachine(s.meta.index, s.meta.confState);
    sm.restore(s);
    return sm;
  }

  restore(s: Snapshot): void {
    this.data.clear();
    if (s.data.length > 0) {
      const pairs = JSON.parse(utf8.decode(s.data)) as Array<[string, string]>;
      for (const [k, v] of pairs) this.data.set(k, v);
    }
    this.applied = s.meta.index;
    this.confState = s.meta.confState;
  }

  serialize(): Uint8Array {
    return toUtf8.encode(JSON.stringify([...this.data.entries()]));
  }

  apply(e: Entry): void {
    assert(e.index === this.applied + 1, `apply ${e.index} after ${this.applied}: committed entries must be contiguous`);
    this.applied = logIndex(e.index);
    if (e.type === 'conf-change') {
      this.confState = applyConfChange(this.confState, decodeConfChange(e.data));
      return;
    }
    if (e.data.length === 0) return; // a new leader's no-op
    const text = utf8.decode(e.data);
    const eq = text.indexOf('=');
    assert(eq > 0, `a transcript command is key=value, got ${text}`);
    this.data.set(text.slice(0, eq), text.slice(eq + 1));
  }
}

