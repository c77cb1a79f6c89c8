/**
 * Sends one snapshot message as an InstallSnapshot call: the first chunk carries the raft header
 * and the snapshot metadata plus total_bytes, then slices of at most snapshotChunkBytes. Chunks are
 * written respecting the stream's backpressure ('drain'), so a large snapshot never sits in memory
 * twice. The outcome is a boolean for raft.reportSnapshot; failures are logged with the reason.
 */
import type * as grpc from '@grpc/grpc-js';
import type { SnapshotMessage } from '@coffer/raft';
import type { InstallSnapshotResponse__Output, RaftPeerClient, SnapshotChunk } from '@coffer/wire';
import { toWire } from './convert.js';
import type { Identity } from './identity.js';
import { identityMetadata } from './identity.js';

export interface SnapshotSendOptions {
  readonly chunkBytes: number;
  readonly timeoutMs: number;
}

export type SnapshotOutcome = { readonly ok: true } | { readonly ok: false; readonly code: number; readonly details: string };

/** Splits the snapshot into the chunks of the wire contract (first chunk: header + metadata). */
export function snapshotChunks(m: SnapshotMessage, chunkBytes: number): SnapshotChunk[] {
  const data = m.snapshot.data;
  const chunks: SnapshotChunk[] = [];
  const first = Math.min(chunkBytes, data.byteLength);
  chunks.push({ message: toWire(m), total_bytes: String(data.byteLength), data: data.subarray(0, first) });
  for (let off = first; off < data.byteLength; off += chunkBytes) {
    chunks.push({ data: data.subarray(off, Math.min(off + chunkBytes, data.byteLength)) });
  }
  return chunks;
}

export function sendSnapshot(
  client: RaftPeerClient,
  self: Identity,
  m: SnapshotMessage,
  options: SnapshotSendOptions,
): Promise<SnapshotOutcome> {
  return new Promise((resolve) => {
    let isSettled = false;
    const settle = (o: SnapshotOutcome): void => {
      if (isSettled) return;
      isSettled = true;
      resolve(o);
    };
    const call = client.InstallSnapshot(
      identityMetadata(self, m.to),
      { deadline: Date.now() + options.timeoutMs },
      (e: grpc.ServiceError | null, res?: InstallSnapshotResponse__Output) => {
        if (e !== null) settle({ ok: false, code: e.code, details: e.details });
        else if (res?.accepted !== true) settle({ ok: false, code: -1, details: 'peer did not accept the snapshot' });
        else settle({ ok: true });
      },
    );
    call.on('error', () => undefined); // the callback above reports it
    const chunks = snapshotChunks(m, options.chunkBytes);
    let next = 0;
    const pump = (): void => {
      while (next < chunks.length && !isSettled) {
        const isWritable = call.write(chunks[next++] as SnapshotChunk);
        if (!isWritable) {
          call.once('drain', pump);
          return;
        }
      }
      if (next >= chunks.length) call.end();
    };
    pump();
  });
}
