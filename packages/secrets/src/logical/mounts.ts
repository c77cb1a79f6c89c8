/**
 * The mount table: which engine serves which path prefix, and where its data lives. It is itself
 * an encrypted record in the replicated state (`core/mounts`), so every node agrees on it and a
 * request that raced a mount change conflicts and is retried. An absent record means the default
 * table: KV v2 at `secret/` and transit at `transit/`.
 */
import { cofferError, err, ok } from '@coffer/base';
import type { Result } from '@coffer/base';
import { isObject } from './params.js';
import type { MountEntry, StorageView } from './types.js';

export const MOUNTS_PATH = 'core/mounts';
/** Every mount's data lives under `logical/<id>/`, where the id is drawn by the leader at mount time. */
export const LOGICAL_PREFIX = 'logical/';

export const DEFAULT_MOUNTS: readonly MountEntry[] = [
  { path: 'secret/', type: 'kv', options: { version: '2' }, storagePrefix: 'logical/default-secret/', description: 'key/value secret storage' },
  { path: 'transit/', type: 'transit', options: {}, storagePrefix: 'logical/default-transit/', description: 'transit encryption as a service' },
];

/** Paths that may never be mounted over (built-in routes). */
export const RESERVED_MOUNT_PREFIXES = ['sys/', 'auth/', 'cubbyhole/', 'identity/'];

function isMountEntry(v: unknown): v is MountEntry {
  if (!isObject(v)) return false;
  return (
    typeof v['path'] === 'string' && typeof v['type'] === 'string' && typeof v['storagePrefix'] === 'string' &&
    typeof v['description'] === 'string' && isObject(v['options']) && Object.values(v['options']).every((o) => typeof o === 'string')
  );
}

/** Reads (and guards) the mount table through a core view (prefix ''). */
export function readMounts(core: StorageView): Result<MountEntry[]> {
  const raw = core.getJson(MOUNTS_PATH);
  if (!raw.ok) return raw;
  if (raw.value === undefined) return ok([...DEFAULT_MOUNTS]);
  if (!Array.isArray(raw.value) || !raw.value.every(isMountEntry)) return err(cofferError('internal', 'corrupt mount table'));
  return ok(raw.value);
}

/** The longest mount whose path prefixes `path` (a request for `secret` matches `secret/`). */
export function resolveMount(mounts: readonly MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of mounts) {
    if ((path.startsWith(m.path) || `${path}/` === m.path) && (best === undefined || m.path.length > best.path.length)) best = m;
  }
  return best;
}
