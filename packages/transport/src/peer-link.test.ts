/**
 * The outbound link against a peer that accepts the stream but never acknowledges (a wedged or
 * black-holed process): the queue stays bounded and the ack timeout declares the peer down.
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeId } from '@coffer/base';
import { loadProtos } from '@coffer/wire';
import type { MessageBatch__Output, RaftPeerHandlers, StreamAck } from '@coffer/wire';
import type { TestNode } from './testing.js';
import { closeAll, heartbeat, startNode, waitFor } from './testing.js';

let nodes: TestNode[] = [];
let servers: grpc.Server[] = [];
afterEach(async () => {
  for (const s of servers) s.forceShutdown();
  servers = [];
  await closeAll(nodes);
  nodes = [];
});

/** A RaftPeer server that reads batches and never answers. Resolves with its port and a batch count. */
async function silentPeer(): Promise<{ port: number; batches: () => number }> {
  let batches = 0;
  const server = new grpc.Server();
  const handlers: RaftPeerHandlers = {
    Stream: (call: grpc.ServerDuplexStream<MessageBatch__Output, StreamAck>) => {
      call.on('data', () => batches++);
      call.on('error', () => undefined);
    },
    InstallSnapshot: (_call, cb) => cb({ code: grpc.status.UNIMPLEMENTED }),
  };
  server.addService(loadProtos().coffer.raft.v1.RaftPeer.service, handlers);
  servers.push(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e === null ? resolve(p) : reject(e))),
  );
  return { port, batches: () => batches };
}

const n1 = nodeId('n1');
const n2 = nodeId('n2');

describe('PeerLink against a peer that never acknowledges', () => {
  it('keeps the queue bounded and counts what it drops', async () => {
    const peer = await silentPeer();
    const a = await startNode('n1', {
      peers: { n2: `127.0.0.1:${peer.port}` },
      maxQueuedMessages: 10,
      maxInflightBatches: 1,
      maxBatchMessages: 1,
      ackTimeoutMs: 60_000,
    });
    nodes = [a];
    a.transport.send(Array.from({ length: 100 }, (_, i) => heartbeat(n1, n2, i)));
    await waitFor('the one batch the window allows', () => peer.batches() === 1);
    const c = a.transport.stats().get(n2);
    expect(c?.droppedQueueFull).toBe(90);
    expect(c?.sentMessages).toBe(1);
    a.transport.send([heartbeat(n1, n2, 100)]); // queue has 9 + 1 = 10: still fits
    a.transport.send([heartbeat(n1, n2, 101)]); // now full
    expect(a.transport.stats().get(n2)?.droppedQueueFull).toBe(91);
  });

  it('declares the peer unreachable when no acknowledgement comes within ackTimeoutMs', async () => {
    const peer = await silentPeer();
    const a = await startNode('n1', { peers: { n2: `127.0.0.1:${peer.port}` }, ackTimeoutMs: 150, reconnectInitialMs: 5_000, reconnectMaxMs: 5_000 });
    nodes = [a];
    a.transport.send([heartbeat(n1, n2, 1)]);
    await waitFor('unreachable', () => a.unreachable.includes(n2));
    expect(a.transport.linkState(n2)).toBe('backoff');
    expect(a.logger.records.some((r) => r.msg === 'raft stream to n2 broke: no acknowledgement for 150 ms')).toBe(true);
  });
});
