/**
 * Benchmark only: a unary `Send(MessageBatch) returns (StreamAck)` service, built from the
 * serializers of RaftPeer.Stream so that it carries exactly the bytes the stream carries. It is
 * not part of the wire contract; only bench.ts and bench-server.ts register it.
 */
import type * as grpc from '@grpc/grpc-js';
import { loadProtos } from '@coffer/wire';

export const BENCH_SEND_PATH = '/coffer.bench.v1.Bench/Send';

export function benchServiceDefinition(): grpc.ServiceDefinition {
  const stream = loadProtos().coffer.raft.v1.RaftPeer.service.Stream;
  return {
    Send: {
      path: BENCH_SEND_PATH,
      requestStream: false,
      responseStream: false,
      requestSerialize: stream.requestSerialize,
      requestDeserialize: stream.requestDeserialize,
      responseSerialize: stream.responseSerialize,
      responseDeserialize: stream.responseDeserialize,
    },
  };
}
