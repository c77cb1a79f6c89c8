/**
 * `expect ...` checks. Each reads state the way a client or operator could (raft.status(), the
 * node's storage, its state machine, its read results) and fails the transcript on a mismatch.
 */
import { logIndex } from '@coffer/base';
import type { Cluster } from './cluster.js';
import { parseFilter } from './network.js';
import type { SimNode } from './node.js';
import type { Handler, RunContext } from './actions.js';
import { fail, intWord, option, splitOn, splitWords } from './parse.js';

function same(what: string, got: unknown, want: unknown): void {
  if (String(got) !== String(want)) fail(`${what}: got ${String(got)}, want ${String(want)}`);
}

/** The nodes after `on`, else every live node. */
function targets(c: Cluster, on: readonly string[] | undefined): SimNode[] {
  return on === undefined ? c.liveNodes() : on.map((id) => c.node(id));
}

function sortedIds(ids: readonly string[]): string {
  return ids.length === 0 ? 'none' : [...ids].sort().join(' ');
}

function numberCheck(read: (n: SimNode) => number, what: string): Handler {
  return (ctx, [id, want]) => {
    if (id === undefined) fail(`expect ${what} <node> <number>`);
    same(`${what} of ${id}`, read(ctx.cluster().node(id)), intWord(want, what));
  };
}

function leader(ctx: RunContext, words: readonly string[]): void {
  const { head, on } = splitOn(words);
  const [want] = head;
  if (want === undefined) fail('expect leader <node>|none [on nodes]');
  const c = ctx.cluster();
  for (const n of targets(c, on)) same(`leader according to ${n.id}`, n.raft.status().leader ?? 'none', want);
  if (want !== 'none') same(`role of ${want}`, c.node(want).raft.status().role, 'leader');
}

/** `expect leader-among n2 n3`: the listed live nodes agree on one leader, which is one of them. */
function leaderAmong(ctx: RunContext, words: readonly string[]): void {
  const { head, on } = splitOn(words);
  const c = ctx.cluster();
  const viewers = targets(c, on ?? head.filter((id) => c.node(id).isUp));
  const leaders = new Set(viewers.map((n) => n.raft.status().leader ?? 'none'));
  const [only] = leaders;
  if (leaders.size !== 1 || only === undefined) fail(`no agreement on a leader: ${viewers.map((n) => `${n.id}->${n.raft.status().leader ?? 'none'}`).join(' ')}`);
  if (!head.includes(only)) fail(`leader is ${only}, want one of ${head.join(' ')}`);
  same(`role of ${only}`, c.node(only).raft.status().role, 'leader');
}

function log(ctx: RunContext, [id, range, termsWord, list]: readonly string[]): void {
  const m = /^(\d+)\.\.(\d+)$/.exec(range ?? '');
  if (id === undefined || m === null || termsWord !== 'terms' || list === undefined) fail('expect log <node> <lo>..<hi> terms t,t,...');
  const [lo, hi] = [Number(m[1]), Number(m[2])];
  const want = list.split(',').map((t) => intWord(t, 'term'));
  if (want.length !== hi - lo + 1) fail(`${hi - lo + 1} indexes but ${want.length} terms`);
  const s = ctx.cluster().node(id).storage;
  same(`last index of ${id}`, s.lastIndex(), hi);
  const got = want.map((_, k) => {
    const t = s.term(logIndex(lo + k));
    return t.ok ? String(t.value) : t.error.kind;
  });
  same(`terms of ${id} at ${lo}..${hi}`, got.join(','), want.join(','));
}

function members(kind: 'voters' | 'learners'): Handler {
  return (ctx, words) => {
    const { head, on } = splitOn(words);
    const want = sortedIds(head.filter((w) => w !== 'none'));
    for (const n of targets(ctx.cluster(), on)) same(`${kind} according to ${n.id}`, sortedIds(n.raft.status().confState[kind]), want);
  };
}

function readState(ctx: RunContext, [id, readCtx, indexWord, index]: readonly string[]): void {
  if (id === undefined || readCtx === undefined || indexWord !== 'index') fail('expect read-state <node> <ctx> index <i>');
  const got = ctx.cluster().node(id).readStates.get(readCtx);
  same(`read index of ${readCtx} on ${id}`, got ?? 'none', intWord(index, 'index'));
}

function kv(ctx: RunContext, words: readonly string[]): void {
  const w = splitWords(words);
  const [id] = w.plain;
  if (id === undefined || w.keyed.length === 0) fail('expect kv <node> key=value...');
  const data = ctx.cluster().node(id).kv.data;
  for (const [k, v] of w.keyed) same(`${k} on ${id}`, data.get(k) ?? '<absent>', v);
}

function delivered(ctx: RunContext, words: readonly string[]): void {
  const w = splitWords(words);
  const count = option(w, 'count');
  if (count === undefined) fail('expect delivered [from=] [to=] [type=] [reject=] count=N');
  same(`messages delivered since mark matching ${words.join(' ')}`, ctx.cluster().countDelivered(parseFilter(w)), intWord(count, 'count'));
}

function progress(ctx: RunContext, words: readonly string[]): void {
  const w = splitWords(words);
  const [id, peer] = w.plain;
  if (id === undefined || peer === undefined) fail('expect progress <leader> <peer> [state=] [match=] [next=]');
  const p = ctx.cluster().node(id).raft.status().progress.find((x) => x.id === peer);
  if (p === undefined) fail(`${id} has no progress for ${peer}`);
  for (const [k, v] of w.keyed) {
    if (k === 'state' || k === 'match' || k === 'next') same(`${k} of ${peer} on ${id}`, p[k], v);
    else fail(`unknown progress field ${k}`);
  }
}

export const EXPECTS: Record<string, Handler> = {
  role: (ctx, [id, want]) => same(`role of ${id}`, ctx.cluster().node(id ?? '').raft.status().role, want),
  leader,
  'leader-among': leaderAmong,
  term: numberCheck((n) => n.raft.status().term, 'term'),
  commit: numberCheck((n) => n.raft.status().commit, 'commit'),
  applied: numberCheck((n) => n.kv.applied, 'applied'),
  'first-index': numberCheck((n) => n.storage.firstIndex(), 'first-index'),
  'last-index': numberCheck((n) => n.storage.lastIndex(), 'last-index'),
  log,
  voters: members('voters'),
  learners: members('learners'),
  'read-state': readState,
  'no-read-state': (ctx, [id, readCtx]) =>
    same(`read index of ${readCtx} on ${id}`, ctx.cluster().node(id ?? '').readStates.get(readCtx ?? '') ?? 'none', 'none'),
  'read-failure': (ctx, [id, readCtx]) =>
    same(`${readCtx} failed on ${id}`, ctx.cluster().node(id ?? '').readFailures.has(readCtx ?? ''), true),
  kv,
  delivered,
  progress,
};

/** Runs `expect <check> ...` given the words after `expect`. */
export function runCheck(ctx: RunContext, [check, ...rest]: readonly string[]): void {
  const h = check === undefined ? undefined : EXPECTS[check];
  if (h === undefined) fail(`unknown check ${check ?? ''} (one of ${Object.keys(EXPECTS).join(', ')})`);
  h(ctx, rest);
}
