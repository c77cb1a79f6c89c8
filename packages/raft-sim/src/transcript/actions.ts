/**
 * The commands that do something to the cluster (the `expect ...` checks live in expect.ts).
 * Each takes the words after its name. Calls into a core are followed by handling its Ready;
 * messages wait in the network until `deliver`, `stabilize` or a tick delivers them.
 */
import type { CofferError, NodeId, Result } from '@coffer/base';
import { isErrorKind, logIndex, nodeId } from '@coffer/base';
import type { ConfChangeType, ConfState, UnsafeTestingFaults } from '@coffer/raft';
import { MemoryStorage } from '@coffer/raft';
import { Cluster } from './cluster.js';
import { encodeCommand } from './kv.js';
import { parseFilter } from './network.js';
import type { CoreOptions } from './node.js';
import { runCheck } from './expect.js';
import { TranscriptError, fail, intWord, option, splitWords } from './parse.js';

export interface RunContext {
  cluster(): Cluster;
  setCluster(c: Cluster): void;
  print(line: string): void;
}

export type Handler = (ctx: RunContext, words: readonly string[]) => void;

const CLUSTER_FLAGS = new Set(['prevote', 'checkquorum', 'lease', 'auto-promote']);
const CLUSTER_KEYS = new Set(['learners', 'election', 'heartbeat', 'seed', 'max-msg-bytes', 'fault']);
/** Node ids are n1, n2, ...: a typo in a flag then fails instead of adding a node. */
const NODE_ID = /^n\d+$/;

/** `fault=<name>`: a deliberately broken rule, to prove that a transcript catches it. */
const FAULTS: Record<string, UnsafeTestingFaults> = {
  'commit-by-counting': { commitPreviousTermByCounting: true },
  'skip-vote-log-check': { skipVoteLogCheck: true },
  'truncate-on-match': { truncateOnMatch: true },
  'read-without-quorum': { readIndexWithoutQuorum: true },
};

/**
 * `cluster n1 n2 n3 [learners=n4] [prevote] [checkquorum] [lease] [auto-promote] [election=10]
 * [heartbeat=1] [seed=1] [max-msg-bytes=N] [fault=NAME]`. A later `cluster` line starts afresh.
 */
function cluster(ctx: RunContext, words: readonly string[]): void {
  const w = splitWords(words);
  for (const p of w.plain) if (!CLUSTER_FLAGS.has(p) && !NODE_ID.test(p)) fail(`${p} is neither a node id (n1, n2, ...) nor a flag (${[...CLUSTER_FLAGS].join(', ')})`);
  for (const [k] of w.keyed) if (!CLUSTER_KEYS.has(k)) fail(`unknown cluster option ${k}= (one of ${[...CLUSTER_KEYS].join(', ')})`);
  const flags = new Set(w.plain.filter((p) => CLUSTER_FLAGS.has(p)));
  const voters = w.plain.filter((p) => !CLUSTER_FLAGS.has(p)).map(nodeId);
  const learners = (option(w, 'learners')?.split(',') ?? []).map(nodeId);
  if (voters.length === 0) fail('a cluster needs at least one voter');
  const num = (key: string, dflt: number): number => {
    const v = option(w, key);
    return v === undefined ? dflt : intWord(v, key);
  };
  const maxMsgBytes = option(w, 'max-msg-bytes');
  const faultName = option(w, 'fault');
  const fault = faultName === undefined ? undefined : FAULTS[faultName];
  if (faultName !== undefined && fault === undefined) fail(`unknown fault ${faultName} (one of ${Object.keys(FAULTS).join(', ')})`);
  const options: CoreOptions = {
    electionTicks: num('election', 10),
    heartbeatTicks: num('heartbeat', 1),
    preVote: flags.has('prevote'),
    checkQuorum: flags.has('checkquorum'),
    readOnlyOption: flags.has('lease') ? 'lease' : 'safe',
    autoPromoteLearners: flags.has('auto-promote'),
    ...(maxMsgBytes === undefined ? {} : { maxSizePerMsg: intWord(maxMsgBytes, 'max-msg-bytes') }),
    ...(fault === undefined ? {} : { unsafeTestingFaults: fault }),
  };
  const c = new Cluster(options, num('seed', 1));
  for (const id of [...voters, ...learners]) c.addNode(id, MemoryStorage.bootstrap({ voters, learners }));
  ctx.setCluster(c);
}

function nodesOf(words: readonly string[], what: string): string[] {
  if (words.length === 0) fail(`${what} needs at least one node`);
  return [...words];
}

/** A Result that must match `fails=<kind>` when given, and be ok otherwise. */
function check(res: Result<unknown, CofferError>, fails: string | undefined, what: string): void {
  if (fails !== undefined && !isErrorKind(fails)) fail(`fails=${fails} is not an error kind`);
  if (res.ok && fails !== undefined) fail(`${what} succeeded, expected it to fail with ${fails}`);
  if (!res.ok && fails === undefined) fail(`${what} failed: ${res.error.kind}: ${res.error.message}`);
  if (!res.ok && res.error.kind !== fails) fail(`${what} failed with ${res.error.kind}, expected ${fails}: ${res.error.message}`);
}

function propose(ctx: RunContext, words: readonly string[]): void {
  const w = splitWords(words);
  const [id] = w.plain;
  if (id === undefined) fail('propose <node> key=value...');
  const fails = option(w, 'fails');
  const cmds = w.keyed.filter(([k]) => k !== 'fails');
  if (cmds.length === 0) fail('propose needs at least one key=value');
  for (const [k, v] of cmds) {
    const res = ctx.cluster().act(id, (r) => r.propose(encodeCommand(k, v)));
    check(res, fails, `propose ${k}=${v} on ${id}`);
  }
}

const CONF_CHANGES: Record<string, ConfChangeType> = { 'add-learner': 'add-learner', promote: 'promote', remove: 'remove' };

function proposeConf(ctx: RunContext, words: readonly string[]): void {
  const w = splitWords(words);
  const [id, change, target] = w.plain;
  const type = change === undefined ? undefined : CONF_CHANGES[change];
  if (id === undefined || type === undefined || target === undefined) fail('propose-conf <node> add-learner|promote|remove <node>');
  const res = ctx.cluster().act(id, (r) => r.proposeConfChange({ type, node: nodeId(target) }));
  check(res, option(w, 'fails'), `propose-conf ${change} ${target} on ${id}`);
}

function transfer(ctx: RunContext, words: readonly string[]): void {
  const w = splitWords(words);
  const [id, target] = w.plain;
  if (id === undefined || target === undefined) fail('transfer <leader> <target>');
  const res = ctx.cluster().act(id, (r) => r.transferLeadership(nodeId(target)));
  check(res, option(w, 'fails'), `transfer ${id} -> ${target}`);
}

/**
 * Tick rounds: `count` of them, or with `until <check>` as many as it takes for the check to
 * hold (failing after `count`). The check is any `expect` check, e.g. `until role n2 leader`.
 */
function tickRounds(ctx: RunContext, ids: () => readonly string[], words: readonly string[]): void {
  const at = words.indexOf('until');
  const countWord = words[0] === 'until' ? undefined : words[0];
  const n = countWord === undefined ? 1 : intWord(countWord, 'count');
  const until = at < 0 ? undefined : words.slice(at + 1);
  const holds = (): boolean => {
    if (until === undefined) return false;
    try {
      runCheck(ctx, until);
      return true;
    } catch (e: unknown) {
      if (e instanceof TranscriptError) return false;
      throw e;
    }
  };
  for (let i = 0; i < n; i++) {
    ctx.cluster().tickRound(ids());
    if (holds()) {
      ctx.print(`(${until?.join(' ')} after ${i + 1} tick rounds)`);
      return;
    }
  }
  if (until !== undefined) runCheck(ctx, until); // fails with the check's own message
}

function tick(ctx: RunContext, words: readonly string[]): void {
  const [id, ...rest] = words;
  if (id === undefined) fail('tick <node> [count] [until <check>]');
  tickRounds(ctx, () => [id], rest);
}

function tickAll(ctx: RunContext, words: readonly string[]): void {
  tickRounds(ctx, () => [...ctx.cluster().nodes.keys()], words);
}

function partition(ctx: RunContext, words: readonly string[]): void {
  const groups: NodeId[][] = [[]];
  for (const word of words) {
    if (word === '|') groups.push([]);
    else (groups[groups.length - 1] as NodeId[]).push(nodeId(ctx.cluster().node(word).id));
  }
  if (groups.length < 2 || groups.some((g) => g.length === 0)) fail('partition a b | c d: at least two non-empty groups');
  ctx.cluster().network.partition(groups);
}

/** Members in a fixed order, to compare two configurations. */
function confText(c: ConfState): string {
  return `voters ${[...c.voters].sort().join(',')} learners ${[...c.learners].sort().join(',')}`;
}

/**
 * `snapshot n1 [keep=K]`: snapshot the state machine at its applied index, keep K entries before
 * it. The snapshot carries the configuration in effect at that index as the core reads it from
 * its log (`confStateAt`); the state machine's own replay of the committed conf changes (kv.ts)
 * must agree, or one of the two has the configuration wrong.
 */
function snapshot(ctx: RunContext, words: readonly string[]): void {
  const w = splitWords(words);
  const [id] = w.plain;
  if (id === undefined) fail('snapshot <node> [keep=K]');
  const node = ctx.cluster().node(id);
  const keep = intWord(option(w, 'keep') ?? '0', 'keep');
  const at = node.kv.applied;
  const conf = node.raft.confStateAt(at);
  if (confText(conf) !== confText(node.kv.confState)) {
    fail(`configuration of ${id} at ${at}: the core says ${confText(conf)}, the applied conf changes say ${confText(node.kv.confState)}`);
  }
  const made = node.storage.createSnapshot(at, conf, node.kv.serialize());
  if (!made.ok) fail(`snapshot of ${id} at ${at}: ${made.error.message}`);
  if (at - keep >= node.storage.firstIndex()) {
    const compacted = node.storage.compact(logIndex(at - keep));
    if (!compacted.ok) fail(`compact ${id} to ${at - keep}: ${compacted.error.message}`);
  }
}

export const ACTIONS: Record<string, Handler> = {
  cluster,
  'add-node': (ctx, words) => {
    for (const id of nodesOf(words, 'add-node')) {
      if (!NODE_ID.test(id)) fail(`${id} is not a node id (n1, n2, ...)`);
      ctx.cluster().addNode(nodeId(id), new MemoryStorage());
    }
  },
  crash: (ctx, words) => {
    for (const id of nodesOf(words, 'crash')) ctx.cluster().node(id).crash();
  },
  restart: (ctx, words) => {
    for (const id of nodesOf(words, 'restart')) ctx.cluster().node(id).start();
  },
  campaign: (ctx, words) => {
    for (const id of nodesOf(words, 'campaign')) ctx.cluster().act(id, (r) => r.campaign());
  },
  tick,
  'tick-all': tickAll,
  propose,
  'propose-conf': proposeConf,
  transfer,
  'read-index': (ctx, [id, readCtx]) => {
    if (id === undefined || readCtx === undefined) fail('read-index <node> <ctx>');
    ctx.cluster().act(id, (r) => r.readIndex(readCtx));
  },
  deliver: (ctx, words) => void ctx.cluster().deliverRound(parseFilter(splitWords(words))),
  stabilize: (ctx, words) => ctx.cluster().stabilize(parseFilter(splitWords(words))),
  drop: (ctx, words) => void ctx.cluster().drop(parseFilter(splitWords(words))),
  duplicate: (ctx, words) => void ctx.cluster().duplicate(parseFilter(splitWords(words))),
  release: (ctx) => ctx.cluster().release(),
  partition,
  heal: (ctx) => ctx.cluster().network.heal(),
  snapshot,
  mark: (ctx) => ctx.cluster().mark(),
};
