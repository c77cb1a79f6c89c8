/**
 * The Wing-Gong-Lowe search over one partition, as Porcupine runs it: walk a doubly linked list
 * of call and return events in time order; at a call, try to linearize that op now (if the model
 * accepts it), lifting its call and return out of the list; at a return that is still in the list,
 * the op it closes was not linearized before its response, so backtrack. A memo of
 * (set of linearized ops, state) prunes configurations already explored.
 *
 * Ties in time order put calls before returns, so ops whose intervals only touch count as
 * concurrent: that can only hide a violation, never invent one.
 */
import { assert } from '@coffer/base';
import type { Model } from './model.js';

export interface TimedOp<Input, Output> {
  readonly input: Input;
  readonly output: Output;
  readonly callTime: number;
  /** +Infinity when the outcome is unknown. */
  readonly returnTime: number;
  /** Names the op in violation details (client, time). */
  readonly label: string;
}

export type SearchResult =
  | { readonly kind: 'linearizable'; readonly steps: number }
  | { readonly kind: 'violation'; readonly steps: number; readonly details: string }
  | { readonly kind: 'budget-exhausted'; readonly steps: number };

interface Node {
  readonly opId: number;
  readonly isCall: boolean;
  readonly time: number;
  /** For a call: its return node. */
  match: Node | null;
  prev: Node | null;
  next: Node | null;
}

export function searchLinearization<State, Input, Output>(
  model: Model<State, Input, Output>,
  ops: readonly TimedOp<Input, Output>[],
  budgetSteps: number,
): SearchResult {
  const head = buildEventList(ops);
  const linearized = new Uint32Array(Math.ceil(ops.length / 32) || 1);
  const seen = new Set<string>();
  const calls: { node: Node; state: State }[] = [];
  let state = model.init;
  let entry = head.next;
  let steps = 0;
  // The deepest point the search reached, to explain a violation.
  let bestDepth = -1;
  let bestBlockedOp = -1;
  let bestPrefix: number[] = [];

  while (head.next !== null) {
    if (++steps > budgetSteps) return { kind: 'budget-exhausted', steps: steps - 1 };
    assert(entry !== null, 'wgl: walked past the end of the event list');
    if (entry.isCall) {
      const op = ops[entry.opId];
      assert(op !== undefined, 'wgl: unknown op id');
      const result = model.step(state, op.input, op.output);
      if (result.ok) {
        setBit(linearized, entry.opId, true);
        const key = `${bitsKey(linearized)}|${model.stateKey(result.state)}`;
        if (!seen.has(key)) {
          seen.add(key);
          calls.push({ node: entry, state });
          state = result.state;
          lift(entry);
          entry = head.next;
          continue;
        }
        setBit(linearized, entry.opId, false);
      }
      entry = entry.next;
    } else {
      // A return whose call is still in the list: the op must precede this point but could not.
      if (calls.length > bestDepth) {
        bestDepth = calls.length;
        bestBlockedOp = entry.opId;
        bestPrefix = calls.map((c) => c.node.opId);
      }
      const top = calls.pop();
      if (top === undefined) {
        return { kind: 'violation', steps, details: explain(model, ops, bestPrefix, bestBlockedOp) };
      }
      state = top.state;
      setBit(linearized, top.node.opId, false);
      unlift(top.node);
      entry = top.node.next;
    }
  }
  return { kind: 'linearizable', steps };
}

function buildEventList<I, O>(ops: readonly TimedOp<I, O>[]): Node {
  const events: Node[] = [];
  ops.forEach((op, opId) => {
    assert(op.returnTime >= op.callTime, `wgl: op ${op.label} returns before it is invoked`);
    const ret: Node = { opId, isCall: false, time: op.returnTime, match: null, prev: null, next: null };
    events.push({ opId, isCall: true, time: op.callTime, match: ret, prev: null, next: null }, ret);
  });
  // Stable order: time, then calls before returns, then op id (deterministic).
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? 0 : a.isCall ? -1 : 1) || a.opId - b.opId);
  const head: Node = { opId: -1, isCall: false, time: -Infinity, match: null, prev: null, next: null };
  let last = head;
  for (const e of events) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return head;
}

/** Takes a call and its return out of the list (the op is linearized). */
function lift(call: Node): void {
  const ret = call.match;
  assert(ret !== null && call.prev !== null && ret.prev !== null, 'wgl: lift of an unlinked node');
  call.prev.next = call.next;
  if (call.next !== null) call.next.prev = call.prev;
  ret.prev.next = ret.next;
  if (ret.next !== null) ret.next.prev = ret.prev;
}

/** Puts them back, in reverse order of lift (the list is restored exactly). */
function unlift(call: Node): void {
  const ret = call.match;
  assert(ret !== null && call.prev !== null && ret.prev !== null, 'wgl: unlift of an unlinked node');
  ret.prev.next = ret;
  if (ret.next !== null) ret.next.prev = ret;
  call.prev.next = call;
  if (call.next !== null) call.next.prev = call;
}

function setBit(bits: Uint32Array, i: number, on: boolean): void {
  const w = i >>> 5;
  const mask = 1 << (i & 31);
  bits[w] = on ? (bits[w] ?? 0) | mask : (bits[w] ?? 0) & ~mask;
}

function bitsKey(bits: Uint32Array): string {
  let s = '';
  for (const w of bits) s += w.toString(36) + ',';
  return s;
}

function explain<S, I, O>(model: Model<S, I, O>, ops: readonly TimedOp<I, O>[], prefix: number[], blocked: number): string {
  const describe = (id: number): string => {
    const op = ops[id];
    if (op === undefined) return '?';
    const ret = op.returnTime === Infinity ? '?' : String(op.returnTime);
    return `${model.describe(op.input, op.output)} by ${op.label} [${op.callTime}, ${ret}]`;
  };
  const tail = prefix.slice(-3).map(describe).join('; ');
  const at = blocked >= 0 ? describe(blocked) : 'the first op';
  return (
    `no order of the ${ops.length} ops is legal: the longest legal prefix has ${prefix.length} ops` +
    (tail === '' ? '' : ` (ending ${tail})`) +
    `, after which ${at} cannot be placed before its return`
  );
}
