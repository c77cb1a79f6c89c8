/**
 * Downloads the primary's snapshot (FetchSnapshot): the first chunk announces index, term and
 * size; the data is refused when it exceeds `maxBytes` or when more or fewer bytes arrive than
 * announced. Returns the whole snapshot or how the call ended.
 */
import type * as grpc from '@grpc/grpc-js';
import { parseUint64 } from '@coffer/transport';
import type { DrPrimaryClient, DrSnapshotChunk__Output } from '@coffer/wire';
import type { DrSnapshot } from './ports.js';
import type { Outcome } from './stream-outcome.js';
import { classifyCallError, watchdog } from './stream-outcome.js';

export interface FetchContext {
  readonly maxBytes: number;
  readonly idleTimeoutMs: number;
  readonly isStopped: () => boolean;
  /** Called with the call's cancel function while it runs (so that stop() can end it). */
  readonly onCall: (cancel: (() => void) | undefined) => void;
  /** Called on the first chunk (the connection is up). */
  readonly onReady: () => void;
}

export async function fetchSnapshot(
  client: DrPrimaryClient,
  metadata: grpc.Metadata,
  ctx: FetchContext,
): Promise<{ readonly kind: 'fetched'; readonly snapshot: DrSnapshot } | Outcome> {
  const call = client.FetchSnapshot({}, metadata);
  const cancel = (): void => call.cancel();
  ctx.onCall(cancel);
  const dog = watchdog(ctx.idleTimeoutMs, cancel);
  let meta: { index: number; term: number; total: number } | undefined;
  const parts: Uint8Array[] = [];
  let received = 0;
  try {
    for await (const chunk of call as AsyncIterable<DrSnapshotChunk__Output>) {
      dog.touch();
      ctx.onReady();
      if (meta === undefined) {
        const index = parseUint64(chunk.index, 'index');
        const term = parseUint64(chunk.term, 'term');
        const total = parseUint64(chunk.total_bytes, 'total_bytes');
        if (!index.ok || !term.ok || !total.ok || total.value > ctx.maxBytes) {
          call.cancel();
          return { kind: 'broken', message: `bad snapshot header from the primary (or larger than ${ctx.maxBytes} bytes)` };
        }
        meta = { index: index.value, term: term.value, total: total.value };
      }
      received += chunk.data.length;
      if (received > meta.total) {
        call.cancel();
        return { kind: 'broken', message: 'the primary sent more snapshot bytes than announced' };
      }
      parts.push(new Uint8Array(chunk.data));
    }
  } catch (e: unknown) {
    return classifyCallError(e, { isStopped: ctx.isStopped(), isIdle: dog.fired(), idleTimeoutMs: ctx.idleTimeoutMs });
  } finally {
    dog.clear();
    ctx.onCall(undefined);
  }
  if (meta === undefined || received !== meta.total) {
    return { kind: 'broken', message: `incomplete snapshot: ${received} of ${meta?.total ?? '?'} bytes` };
  }
  const data = new Uint8Array(received);
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.length;
  }
  return { kind: 'fetched', snapshot: { index: meta.index, term: meta.term, data } };
}
