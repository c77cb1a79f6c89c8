/** Small helpers shared by the KV v2 handlers. */
import type { Result } from '@coffer/base';
import { envelope, fromError, respond } from '../logical/response.js';
import type { LogicalResponse, Outcome, StorageView } from '../logical/types.js';

export const KV_MOUNT_TYPE = 'kv';

export const kvEnvelope = (data: unknown, opts: { warnings?: readonly string[]; status?: number } = {}): LogicalResponse =>
  envelope(data, { mountType: KV_MOUNT_TYPE, ...opts });

/** Unwraps a Result or turns its error into the response to send. */
export function unwrap<T>(r: Result<T>): { value: T } | { stop: Outcome } {
  return r.ok ? { value: r.value } : { stop: respond(fromError(r.error)) };
}

export function commitWith(respondFn: () => LogicalResponse): Outcome {
  return { kind: 'commit', respond: () => respondFn() };
}

/** Puts a JSON record; a failure (sealed barrier) becomes the response. */
export function putAll(view: StorageView, records: ReadonlyArray<readonly [string, unknown]>): Outcome | undefined {
  for (const [path, value] of records) {
    const r = view.putJson(path, value);
    if (!r.ok) return respond(fromError(r.error));
  }
  return undefined;
}
