/** The server side against a hand-driven gRPC client: malformed input, identity, extra services. */
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeId } from '@coffer/base';
import { loadProtos } from '@coffer/wire';
import type { RaftMessage, RaftPeerClient, StreamAck__Output } from '@coffer/wire';
import { toWire } from './convert.js';
import { identityMetadata } from './identity.js';
import { RaftTransport } from './raft-transport.js';
import type { TestNode } from './testing.js';
import { closeAll, heartbeat, startCluster } from './testing.js';

let nodes: TestNode[] = [];
let clients: grpc.Client[] = [];
afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await closeAll(nodes);
  nodes = [];
});

function rawClient(address: string): RaftPeerClient {
  const c = new (loadProtos().coffer.raft.v1.RaftPeer)(address, grpc.credentials.createInsecure());
  clients.push(c);
  return c;
}

/** Opens a stream as `from`, writes one batch, and resolves with the ack or the error. */
function oneBatch(c: RaftPeerClient, md: grpc.Metadata, messages: RaftMessage[]): Promise<StreamAck__Output | grpc.ServiceError> {
  const call = c.Stream(md);
  return new Promise((resolve) => {
    call.on('data', (ack: StreamAck__Output) => {
      resolve(ack);
      call.cancel();
    });
    call.on('error', resolve);
    call.write({ seq: 7, messages });
  });
}

const n1 = nodeId('n1');
const n2 = nodeId('n2');
const n3 = nodeId('n3');

describe('inbound', () => {
  it('rejects malformed and misaddressed messages, delivers the rest, keeps serving', async () => {
    nodes = await startCluster(['n1', 'n2', 'n3']);
    const b = nodes[1]!;
    const md = identityMetadata({ clusterId: 'c1', nodeId: n1 }, n2);
    const ack = await oneBatch(rawClient(b.address), md, [
      { from: 'n1', to: 'n2', term: 1 }, // no body
      { from: 'n1', to: 'n2', term: '1', heartbeat: { commit: '9007199254740993', seq: 1 } }, // above 2^53
      toWire(heartbeat(n3, n2, 1)), // from someone else than the stream's sender
      toWire(heartbeat(n1, n3, 2)), // for someone else
      toWire(heartbeat(n1, n2, 3)), // fine
    ]);
    expect(ack).toEqual({ seq: '7', accepted: 1, rejected: 4 });
    expect(b.inbox).toEqual([heartbeat(n1, n2, 3)]);
    expect(b.transport.stats().get(n1)?.rejectedMessages).toBe(4);
    const warns = b.logger.records.filter((r) => r.msg.startsWith('rejected a raft message from n1'));
    expect(warns).toHaveLength(1); // rate-limited: one record for the burst
  });

  it.each([
    ['missing metadata', new grpc.Metadata(), grpc.status.UNAUTHENTICATED, /missing coffer-cluster-id/],
    ['wrong cluster', identityMetadata({ clusterId: 'c9', nodeId: n1 }, n2), grpc.status.FAILED_PRECONDITION, /cluster id mismatch: node n2 is in cluster c1, peer n1 is in cluster c9/],
    ['wrong target', identityMetadata({ clusterId: 'c1', nodeId: n1 }, n3), grpc.status.FAILED_PRECONDITION, /this is node n2, not n3/],
    ['unknown node', identityMetadata({ clusterId: 'c1', nodeId: nodeId('n9') }, n2), grpc.status.PERMISSION_DENIED, /peer n9 is not a member of cluster c1/],
  ])('refuses a stream with %s', async (_name, md, code, details) => {
    nodes = await startCluster(['n1', 'n2']);
    const r = await oneBatch(rawClient(nodes[1]!.address), md, [toWire(heartbeat(n1, n2, 1))]);
    expect('code' in r && r.code).toBe(code);
    expect('details' in r && r.details).toMatch(details);
    expect(nodes[1]!.inbox).toEqual([]);
  });

  it('serves extra services on the same port, added before start()', async () => {
    const echo: grpc.ServiceDefinition = {
      Echo: {
        path: '/coffer.test.Echo/Echo',
        requestStream: false,
        responseStream: false,
        requestSerialize: (b: Buffer) => b,
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (b: Buffer) => b,
        responseDeserialize: (b: Buffer) => b,
      },
    };
    const t = new RaftTransport({ nodeId: n1, clusterId: 'c1', listenAddress: '127.0.0.1:0', peers: {} });
    t.addService(echo, { Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request) });
    const { port } = await t.start();
    try {
      expect(() => t.addService(echo, {})).toThrow(/before start/);
      const Client = grpc.makeGenericClientConstructor(echo, 'Echo');
      const c = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      clients.push(c);
      const reply = await new Promise<Buffer>((resolve, reject) => {
        c.makeUnaryRequest('/coffer.test.Echo/Echo', (b: Buffer) => b, (b: Buffer) => b, Buffer.from('ping'), (e, r) =>
          e !== null || r === undefined ? reject(e ?? new Error('no reply')) : resolve(r),
        );
      });
      expect(reply.toString()).toBe('ping');
    } finally {
      await t.close();
    }
  });

  it('starts once and closes idempotently', async () => {
    nodes = await startCluster(['n1']);
    const t = nodes[0]!.transport;
    await expect(t.start()).rejects.toThrow(/start called twice/);
    await t.close();
    await t.close();
    t.send([heartbeat(n1, n2, 1)]); // after close: ignored, no throw
  });
});
