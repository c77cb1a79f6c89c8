/**
 * Raft transport benchmark: append messages with one 1 KiB entry each, from a leader transport
 * (this process) to a follower transport (a child process, see bench-server.ts), each append
 * answered by an append-resp. Compares the long-lived stream (a window of appends in flight, as
 * raft's inflight window would keep) with one unary call per append. Median of 3 runs each.
 *
 *   node --conditions=@coffer/source --import tsx packages/transport/src/bench.ts [--seconds 3] [--runs 3]
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { logIndex, nodeId, term } from '@coffer/base';
import type { Message } from '@coffer/raft';
import type { MessageBatch, StreamAck__Output } from '@coffer/wire';
import { BENCH_SEND_PATH, benchServiceDefinition } from './bench-service.js';
import { toWire } from './convert.js';
import { RaftTransport } from './raft-transport.js';

const n1 = nodeId('n1');
const n2 = nodeId('n2');
const payload = new Uint8Array(1024).map((_, i) => (i * 31) & 0xff);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

let nextIndex = 0;
function append(): Message {
  nextIndex++;
  return {
    from: n1,
    to: n2,
    term: term(1),
    type: 'append',
    prevIndex: logIndex(nextIndex - 1),
    prevTerm: term(1),
    commit: logIndex(0),
    entries: [{ term: term(1), index: logIndex(nextIndex), type: 'normal', data: payload }],
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Keeps `window` appends outstanding on the stream for `seconds`; returns responses/s. */
async function streamedRun(t: RaftTransport, seconds: number, window: number): Promise<number> {
  let done = 0;
  let sent = 0;
  let isActive = true;
  t.onMessage((m) => {
    if (m.type !== 'append-resp') return;
    done++;
    if (isActive) {
      sent++;
      t.send([append()]);
    }
  });
  const t0 = performance.now();
  sent += window;
  t.send(Array.from({ length: window }, append));
  await sleep(seconds * 1000);
  isActive = false;
  const rate = done / ((performance.now() - t0) / 1000);
  // Let the stragglers come back (bounded) so that runs do not overlap.
  for (let i = 0; i < 200 && done < sent; i++) await sleep(10);
  return rate;
}

/** Keeps `inflight` unary Send calls (one append each) outstanding for `seconds`; returns calls/s. */
async function unaryRun(client: grpc.Client, seconds: number, inflight: number): Promise<number> {
  const def = benchServiceDefinition()['Send'];
  if (def === undefined) throw new Error('bench service has no Send');
  let done = 0;
  let errors = 0;
  let outstanding = 0;
  let isActive = true;
  let seq = 0;
  const fire = (): void => {
    outstanding++;
    const batch: MessageBatch = { seq: ++seq, messages: [toWire(append())] };
    client.makeUnaryRequest(
      BENCH_SEND_PATH,
      def.requestSerialize as (b: MessageBatch) => Buffer,
      def.responseDeserialize as (b: Buffer) => StreamAck__Output,
      batch,
      (e) => {
        outstanding--;
        if (e === null) done++;
        else errors++;
        if (isActive) fire();
      },
    );
  };
  const t0 = performance.now();
  for (let i = 0; i < inflight; i++) fire();
  await sleep(seconds * 1000);
  isActive = false;
  const rate = done / ((performance.now() - t0) / 1000);
  for (let i = 0; i < 200 && outstanding > 0; i++) await sleep(10);
  if (errors > 0) console.log(`  (${errors} unary calls failed)`);
  return rate;
}

function startChild(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL('./bench-server.ts', import.meta.url)), [], {
    execArgv: ['--conditions=@coffer/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench server did not start within 20 s')), 20_000);
    child.once('message', (m: { port?: number }) => {
      clearTimeout(timer);
      if (typeof m.port === 'number') resolve({ child, port: m.port });
      else reject(new Error('unexpected message from bench server'));
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 3);
  const runs = arg('runs', 3);
  const { child, port } = await startChild();
  const followerAddress = `127.0.0.1:${port}`;
  const leader = new RaftTransport({ nodeId: n1, clusterId: 'bench', listenAddress: '127.0.0.1:0', peers: { n2: followerAddress } });
  const { port: leaderPort } = await leader.start();
  await new Promise<void>((resolve) => {
    child.once('message', () => resolve());
    child.send({ leaderAddress: `127.0.0.1:${leaderPort}` });
  });
  const client = new grpc.Client(followerAddress, grpc.credentials.createInsecure());

  console.log(`1 KiB append per message, server in a child process, ${runs} runs of ${seconds} s each`);
  await streamedRun(leader, 1, 256); // warm-up: connection, JIT
  await unaryRun(client, 1, 64);
  const modes: [string, () => Promise<number>][] = [
    ['stream, 256 appends in flight', () => streamedRun(leader, seconds, 256)],
    ['stream, 64 appends in flight', () => streamedRun(leader, seconds, 64)],
    ['unary, 64 calls in flight', () => unaryRun(client, seconds, 64)],
    ['unary, 256 calls in flight', () => unaryRun(client, seconds, 256)],
    ['unary, 1 call in flight', () => unaryRun(client, seconds, 1)],
  ];
  const results: { mode: string; runs: number[]; median: number }[] = [];
  for (const [mode, run] of modes) {
    const rs: number[] = [];
    for (let i = 0; i < runs; i++) rs.push(await run());
    results.push({ mode, runs: rs, median: median(rs) });
    console.log(`${mode.padEnd(32)} ${rs.map((r) => r.toFixed(0).padStart(7)).join(' ')}   median ${median(rs).toFixed(0)} msgs/s`);
  }
  const stats = leader.stats().get(n2);
  console.log(`leader -> follower: ${stats?.sentMessages} messages in ${stats?.sentBatches} batches, dropped ${(stats?.droppedQueueFull ?? 0) + (stats?.droppedPeerDown ?? 0)}`);
  client.close();
  await leader.close();
  child.send({ exit: true });
  await new Promise((r) => child.once('exit', r));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
