/**
 * The benchmark's follower, run in a child process by bench.ts: a RaftTransport (n2) that answers
 * every append with an append-resp over its own stream back to n1 (as a follower would), plus the
 * unary bench service. Talks to the parent over IPC: sends {port}, receives {leaderAddress}.
 */
import type * as grpc from '@grpc/grpc-js';
import { logIndex, nodeId, term } from '@coffer/base';
import type { Message } from '@coffer/raft';
import type { MessageBatch__Output, StreamAck } from '@coffer/wire';
import { benchServiceDefinition } from './bench-service.js';
import { fromWire } from './convert.js';
import { RaftTransport } from './raft-transport.js';

const n1 = nodeId('n1');
const n2 = nodeId('n2');

const send = (msg: unknown): void => {
  process.send?.(msg);
};

async function main(): Promise<void> {
  const transport = new RaftTransport({ nodeId: n2, clusterId: 'bench', listenAddress: '127.0.0.1:0', peers: {} });
  transport.addService(benchServiceDefinition(), {
    Send: (call: grpc.ServerUnaryCall<MessageBatch__Output, StreamAck>, cb: grpc.sendUnaryData<StreamAck>) => {
      let accepted = 0;
      for (const w of call.request.messages) if (fromWire(w).ok) accepted++;
      cb(null, { seq: call.request.seq, accepted, rejected: call.request.messages.length - accepted });
    },
  });
  transport.onMessage((m: Message) => {
    if (m.type !== 'append') return;
    const last = m.entries[m.entries.length - 1];
    transport.send([
      { from: n2, to: n1, term: m.term, type: 'append-resp', reject: false, index: last?.index ?? m.prevIndex, hintIndex: logIndex(0), hintTerm: term(0) },
    ]);
  });
  const { port } = await transport.start();
  process.on('message', (msg: { leaderAddress?: string; exit?: boolean }) => {
    if (msg.leaderAddress !== undefined) {
      transport.setPeers({ n1: msg.leaderAddress });
      send({ ready: true });
    }
    if (msg.exit === true) void transport.close().then(() => process.exit(0));
  });
  send({ port });
}

void main();
