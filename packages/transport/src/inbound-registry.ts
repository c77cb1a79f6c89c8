/**
 * The inbound streams currently open, by sender, so that removing a peer (or closing this node)
 * can end them with a status that says why, instead of leaving a removed node connected.
 */
import type * as grpc from '@grpc/grpc-js';
import type { NodeId } from '@coffer/base';
import type { MessageBatch__Output, StreamAck } from '@coffer/wire';

export type InboundStream = grpc.ServerDuplexStream<MessageBatch__Output, StreamAck>;

export class InboundRegistry {
  private readonly byPeer = new Map<NodeId, Set<InboundStream>>();

  /** Registers a stream; the returned function unregisters it (call it when the stream closes). */
  track(peer: NodeId, stream: InboundStream): () => void {
    let set = this.byPeer.get(peer);
    if (set === undefined) {
      set = new Set();
      this.byPeer.set(peer, set);
    }
    const own = set;
    own.add(stream);
    return () => {
      own.delete(stream);
      if (own.size === 0 && this.byPeer.get(peer) === own) this.byPeer.delete(peer);
    };
  }

  /** Ends every stream from `peer` with the given status. */
  end(peer: NodeId, code: grpc.status, details: string): void {
    const set = this.byPeer.get(peer);
    if (set === undefined) return;
    this.byPeer.delete(peer);
    for (const s of set) s.emit('error', { code, details });
  }

  peers(): NodeId[] {
    return [...this.byPeer.keys()];
  }
}
