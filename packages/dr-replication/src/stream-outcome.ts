/**
 * How a DR call ended, from the secondary's side, and the idle watchdog that ends a call to a
 * primary that went silent (no batch, no heartbeat) so that a black-holed connection is retried.
 */
import * as grpc from '@grpc/grpc-js';
import { DR_LEADER_ADDRESS_KEY } from './dr-metadata.js';

export type Outcome =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'compacted' }
  | { readonly kind: 'snapshot-installed' }
  | { readonly kind: 'not-leader'; readonly hint: string | undefined }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'broken'; readonly message: string };

/** Statuses by which the primary refuses us (configuration problems, not the network). */
const REFUSALS = new Set([grpc.status.PERMISSION_DENIED, grpc.status.FAILED_PRECONDITION, grpc.status.UNAUTHENTICATED, grpc.status.INVALID_ARGUMENT]);

function isServiceError(e: unknown): e is grpc.ServiceError {
  return typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'number';
}

/** Maps what a call threw to what the streamer does next. */
export function classifyCallError(e: unknown, ctx: { readonly isStopped: boolean; readonly isIdle: boolean; readonly idleTimeoutMs: number }): Outcome {
  if (ctx.isStopped) return { kind: 'stopped' };
  if (ctx.isIdle) return { kind: 'broken', message: `no message from the primary for ${ctx.idleTimeoutMs} ms` };
  if (!isServiceError(e)) return { kind: 'broken', message: String(e) };
  if (e.code === grpc.status.OUT_OF_RANGE) return { kind: 'compacted' };
  if (e.code === grpc.status.UNAVAILABLE && e.details.startsWith('not-leader')) {
    const [hint] = e.metadata.get(DR_LEADER_ADDRESS_KEY);
    return { kind: 'not-leader', hint: typeof hint === 'string' && hint.length > 0 ? hint : undefined };
  }
  if (REFUSALS.has(e.code)) return { kind: 'refused', message: e.details };
  return { kind: 'broken', message: `${grpc.status[e.code] ?? e.code}: ${e.details}` };
}

export interface Watchdog {
  /** Called on every message: the silence starts again. */
  touch(): void;
  clear(): void;
  /** Whether the watchdog ended the call. */
  fired(): boolean;
}

/** Calls `cancel` after `idleMs` without a `touch()`. */
export function watchdog(idleMs: number, cancel: () => void): Watchdog {
  let hasFired = false;
  const fire = (): void => {
    hasFired = true;
    cancel();
  };
  let timer = setTimeout(fire, idleMs);
  return {
    touch: () => {
      clearTimeout(timer);
      timer = setTimeout(fire, idleMs);
    },
    clear: () => clearTimeout(timer),
    fired: () => hasFired,
  };
}
