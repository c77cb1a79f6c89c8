/**
 * Message <-> RaftMessage (the proto). toWire trusts its input (it comes from our own raft core);
 * fromWire trusts nothing: every field of a decoded message is checked, and a malformed message is
 * an `invalid-request` error value, never an exception that could take the node down.
 *
 * The proto's oneof case is the raft type with '_' for '-' (append_resp <-> 'append-resp').
 * Snapshot messages carry only their metadata in the body; the data travels in InstallSnapshot
 * chunks and is handed back to fromWire by the reassembler.
 */
import type { CofferError, NodeId, Result } from '@coffer/base';
import { assertNever, cofferError, err, logIndex, nodeId, ok, term } from '@coffer/base';
import type { ConfState, Entry, EntryType, Message, MessageType } from '@coffer/raft';
import type { Entry as WireEntry, RaftMessage } from '@coffer/wire';
import { formatUint64, parseUint64 } from './uint64.js';

type BodyCase = RaftMessage['body'] & string;

const BODY_CASES: readonly BodyCase[] = [
  'append',
  'append_resp',
  'vote',
  'pre_vote',
  'vote_resp',
  'pre_vote_resp',
  'heartbeat',
  'heartbeat_resp',
  'snapshot',
  'timeout_now',
  'read_index',
  'read_index_resp',
];

const caseOf = (t: MessageType): BodyCase => t.replaceAll('-', '_') as BodyCase;
const typeOf = (c: BodyCase): MessageType => c.replaceAll('_', '-') as MessageType;

const EMPTY = new Uint8Array(0);

export function toWire(m: Message): RaftMessage {
  const u = formatUint64;
  const base = { from: m.from, to: m.to, term: u(m.term, 'term'), body: caseOf(m.type) };
  switch (m.type) {
    case 'append':
      return {
        ...base,
        append: {
          prev_index: u(m.prevIndex, 'prevIndex'),
          prev_term: u(m.prevTerm, 'prevTerm'),
          commit: u(m.commit, 'commit'),
          entries: m.entries.map(entryToWire),
        },
      };
    case 'append-resp':
      return {
        ...base,
        append_resp: {
          reject: m.reject,
          index: u(m.index, 'index'),
          hint_index: u(m.hintIndex, 'hintIndex'),
          hint_term: u(m.hintTerm, 'hintTerm'),
        },
      };
    case 'vote':
    case 'pre-vote': {
      const vote = { last_index: u(m.lastIndex, 'lastIndex'), last_term: u(m.lastTerm, 'lastTerm'), is_transfer: m.isTransfer };
      return m.type === 'vote' ? { ...base, vote } : { ...base, pre_vote: vote };
    }
    case 'vote-resp':
      return { ...base, vote_resp: { reject: m.reject } };
    case 'pre-vote-resp':
      return { ...base, pre_vote_resp: { reject: m.reject } };
    case 'heartbeat':
      return { ...base, heartbeat: { commit: u(m.commit, 'commit'), seq: u(m.seq, 'seq') } };
    case 'heartbeat-resp':
      return { ...base, heartbeat_resp: { seq: u(m.seq, 'seq') } };
    case 'snapshot': {
      const { meta } = m.snapshot;
      return {
        ...base,
        snapshot: {
          index: u(meta.index, 'snapshot.index'),
          term: u(meta.term, 'snapshot.term'),
          conf_state: { voters: [...meta.confState.voters], learners: [...meta.confState.learners] },
        },
      };
    }
    case 'timeout-now':
      return { ...base, timeout_now: {} };
    case 'read-index':
      return { ...base, read_index: { ctx: m.ctx } };
    case 'read-index-resp':
      return { ...base, read_index_resp: { ctx: m.ctx, index: u(m.index, 'index'), reject: m.reject } };
    default:
      return assertNever(m, 'message type');
  }
}

function entryToWire(e: Entry): WireEntry {
  return {
    term: formatUint64(e.term, 'entry.term'),
    index: formatUint64(e.index, 'entry.index'),
    type: e.type === 'normal' ? 'ENTRY_TYPE_NORMAL' : 'ENTRY_TYPE_CONF_CHANGE',
    data: e.data,
  };
}

/** Thrown only inside this module and turned into an error value at fromWire's boundary. */
class MalformedError extends Error {}

type Obj = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

function fail(message: string): never {
  throw new MalformedError(message);
}

function u64(o: Obj, field: string, path: string): number {
  const r = parseUint64(o[field], `${path}.${field}`);
  return r.ok ? r.value : fail(r.error.message);
}

function bool(o: Obj, field: string, path: string): boolean {
  const v = o[field];
  return typeof v === 'boolean' ? v : fail(`${path}.${field}: expected a boolean`);
}

function str(o: Obj, field: string, path: string): string {
  const v = o[field];
  return typeof v === 'string' ? v : fail(`${path}.${field}: expected a string`);
}

function id(o: Obj, field: string, path: string): NodeId {
  const s = str(o, field, path);
  return s.length > 0 ? nodeId(s) : fail(`${path}.${field}: empty node id`);
}

function sub(o: Obj, field: string, path: string): Obj {
  const v = o[field];
  return isObj(v) ? v : fail(`${path}.${field}: missing`);
}

function bytes(o: Obj, field: string, path: string): Uint8Array {
  const v = o[field];
  if (!(v instanceof Uint8Array)) return fail(`${path}.${field}: expected bytes`);
  // gRPC hands out Buffers; the rest of the code base expects plain Uint8Arrays (no copy).
  return v.constructor === Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function ids(o: Obj, field: string, path: string): readonly NodeId[] {
  const v = o[field];
  if (!Array.isArray(v)) return fail(`${path}.${field}: expected a list`);
  return v.map((x: unknown, i) => (typeof x === 'string' && x.length > 0 ? nodeId(x) : fail(`${path}.${field}[${i}]: bad node id`)));
}

function entryType(v: unknown, path: string): EntryType {
  if (v === 'ENTRY_TYPE_NORMAL' || v === 0) return 'normal';
  if (v === 'ENTRY_TYPE_CONF_CHANGE' || v === 1) return 'conf-change';
  return fail(`${path}.type: unknown entry type ${JSON.stringify(v)}`);
}

function entryFromWire(v: unknown, path: string): Entry {
  if (!isObj(v)) return fail(`${path}: expected an entry`);
  return {
    term: term(u64(v, 'term', path)),
    index: logIndex(u64(v, 'index', path)),
    type: entryType(v['type'], path),
    data: bytes(v, 'data', path),
  };
}

function confStateFromWire(o: Obj, path: string): ConfState {
  return { voters: ids(o, 'voters', path), learners: ids(o, 'learners', path) };
}

/** The oneof case that is set. Decoded messages name it in `body`; hand-built ones may not. */
function bodyCase(w: Obj): BodyCase {
  const set = BODY_CASES.filter((c) => isObj(w[c]));
  const named = w['body'];
  if (named !== undefined && named !== null) {
    if (typeof named !== 'string' || !(BODY_CASES as readonly string[]).includes(named)) {
      return fail(`body: unknown message type ${JSON.stringify(named)}`);
    }
    if (!set.includes(named as BodyCase)) return fail(`body: ${named} is named but missing`);
    return named as BodyCase;
  }
  if (set.length !== 1) return fail(set.length === 0 ? 'body: missing' : `body: several set (${set.join(', ')})`);
  return set[0] as BodyCase;
}

/**
 * Converts and validates a decoded RaftMessage. For a `snapshot` body, `snapshotData` is the
 * reassembled snapshot (empty when omitted).
 */
export function fromWire(wire: unknown, snapshotData: Uint8Array = EMPTY): Result<Message, CofferError> {
  try {
    return ok(parse(wire, snapshotData));
  } catch (e: unknown) {
    if (e instanceof MalformedError) return err(cofferError('invalid-request', `malformed raft message: ${e.message}`));
    throw e;
  }
}

function parse(w: unknown, snapshotData: Uint8Array): Message {
  if (!isObj(w)) return fail('expected an object');
  const c = bodyCase(w);
  const b = sub(w, c, 'body');
  const base = { from: id(w, 'from', 'message'), to: id(w, 'to', 'message'), term: term(u64(w, 'term', 'message')) };
  const type = typeOf(c);
  switch (type) {
    case 'append': {
      const entries = b['entries'];
      if (!Array.isArray(entries)) return fail('append.entries: expected a list');
      return {
        ...base,
        type,
        prevIndex: logIndex(u64(b, 'prev_index', c)),
        prevTerm: term(u64(b, 'prev_term', c)),
        commit: logIndex(u64(b, 'commit', c)),
        entries: entries.map((e: unknown, i) => entryFromWire(e, `append.entries[${i}]`)),
      };
    }
    case 'append-resp':
      return {
        ...base,
        type,
        reject: bool(b, 'reject', c),
        index: logIndex(u64(b, 'index', c)),
        hintIndex: logIndex(u64(b, 'hint_index', c)),
        hintTerm: term(u64(b, 'hint_term', c)),
      };
    case 'vote':
    case 'pre-vote':
      return {
        ...base,
        type,
        lastIndex: logIndex(u64(b, 'last_index', c)),
        lastTerm: term(u64(b, 'last_term', c)),
        isTransfer: bool(b, 'is_transfer', c),
      };
    case 'vote-resp':
    case 'pre-vote-resp':
      return { ...base, type, reject: bool(b, 'reject', c) };
    case 'heartbeat':
      return { ...base, type, commit: logIndex(u64(b, 'commit', c)), seq: u64(b, 'seq', c) };
    case 'heartbeat-resp':
      return { ...base, type, seq: u64(b, 'seq', c) };
    case 'snapshot':
      return {
        ...base,
        type,
        snapshot: {
          meta: {
            index: logIndex(u64(b, 'index', c)),
            term: term(u64(b, 'term', c)),
            confState: confStateFromWire(sub(b, 'conf_state', c), `${c}.conf_state`),
          },
          data: snapshotData,
        },
      };
    case 'timeout-now':
      return { ...base, type };
    case 'read-index':
      return { ...base, type, ctx: str(b, 'ctx', c) };
    case 'read-index-resp':
      return { ...base, type, ctx: str(b, 'ctx', c), index: logIndex(u64(b, 'index', c)), reject: bool(b, 'reject', c) };
    default:
      return assertNever(type, 'message type');
  }
}
