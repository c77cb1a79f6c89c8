/**
 * The bytes of a normal log entry: either a client command (with its request id, for dedup) or a
 * runtime meta command (the peer address directory). The empty entry is the leader's no-op.
 */
import type { Command } from './ports.js';
import { ByteReader, ByteWriter, fromUtf8, utf8 } from './bytes.js';

const VERSION = 1;
const KIND_COMMAND = 1;
const KIND_PEER_ADDRESS = 2;

export type Envelope =
  | { readonly kind: 'command'; readonly command: Command }
  | { readonly kind: 'peer-address'; readonly id: string; readonly address: string };

export function encodeEnvelope(e: Envelope): Uint8Array {
  const w = new ByteWriter().u8(VERSION);
  if (e.kind === 'command') {
    return w
      .u8(KIND_COMMAND)
      .bytes(utf8(e.command.requestId.clientId))
      .f64(e.command.requestId.seq)
      .raw(e.command.payload)
      .finish();
  }
  return w.u8(KIND_PEER_ADDRESS).bytes(utf8(e.id)).bytes(utf8(e.address)).finish();
}

/** Undefined for bytes this version does not know (a broken invariant at the caller: it was committed). */
export function decodeEnvelope(data: Uint8Array): Envelope | undefined {
  const r = new ByteReader(data);
  if (r.u8() !== VERSION) return undefined;
  const kind = r.u8();
  if (kind === KIND_COMMAND) {
    const clientId = fromUtf8(r.bytes());
    const seq = r.f64();
    return { kind: 'command', command: { requestId: { clientId, seq }, payload: r.rest().slice() } };
  }
  if (kind === KIND_PEER_ADDRESS) {
    const id = fromUtf8(r.bytes());
    return { kind: 'peer-address', id, address: fromUtf8(r.bytes()) };
  }
  return undefined;
}
