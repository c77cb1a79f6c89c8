/**
 * The content of a restore entry (an operator's snapshot restore, KIND_RESTORE) or of a DR
 * snapshot (KIND_DR_SNAPSHOT), checked deterministically: every node runs this on the same bytes,
 * and the leader runs it before proposing.
 */
import type { Result } from '@coffer/base';
import { checkKeyringWrite, KEYRING_PATH } from '@coffer/barrier';
import { StorageFsm } from '@coffer/secrets';
import { decodePairs, fromUtf8, utf8 } from './bytes.js';
import { DEDUP_PREFIX, hasPrefix } from './dedup-table.js';
import type { KvPair } from './ports.js';

export const FSM_PREFIX = utf8('f/');
export const KV_PREFIX = utf8('k/');

/** A restore's content, checked: only data records, and records the FSM loads. */
export interface RestoreContent {
  readonly fsm: StorageFsm;
  readonly fsmPaths: readonly string[];
  readonly pairs: readonly KvPair[];
  readonly kvPairs: readonly KvPair[];
  /** Dedup records (only when `isDedupAllowed`: a DR snapshot carries the primary's). */
  readonly dedupPairs: readonly KvPair[];
}

/** Deterministic (every node runs it on the same bytes): the leader checks before proposing. */
export function parseRestoreContent(content: Uint8Array, isDedupAllowed = false): Result<RestoreContent, string> {
  let pairs: KvPair[];
  try {
    pairs = decodePairs(content);
  } catch {
    return { ok: false, error: 'the content does not decode as store records' };
  }
  const records: { key: string; value: Uint8Array }[] = [];
  const kvPairs: KvPair[] = [];
  const dedupPairs: KvPair[] = [];
  for (const [k, v] of pairs) {
    if (hasPrefix(k, FSM_PREFIX)) records.push({ key: fromUtf8(k.subarray(FSM_PREFIX.length)), value: v });
    else if (hasPrefix(k, KV_PREFIX)) kvPairs.push([k, v]);
    else if (isDedupAllowed && hasPrefix(k, DEDUP_PREFIX)) dedupPairs.push([k, v]);
    else return { ok: false, error: 'the content holds a record that is not data (only f/ and k/ records may be restored)' };
  }
  const loaded = StorageFsm.load(records, 0, { putGuard: keyringGuard });
  if (!loaded.ok) return { ok: false, error: `the records do not load: ${loaded.error.message}` };
  return { ok: true, value: { fsm: loaded.value, fsmPaths: records.map((r) => r.key), pairs, kvPairs, dedupPairs } };
}

/** The barrier's deterministic veto on core/keyring: a rotation must follow the stored term. */
export function keyringGuard(path: string, stored: Uint8Array | undefined, incoming: Uint8Array): boolean {
  if (path !== KEYRING_PATH) return true;
  // Init writes the first keyring (nothing stored); any later write must follow it.
  if (stored === undefined) return true;
  return checkKeyringWrite(stored, incoming).ok;
}
