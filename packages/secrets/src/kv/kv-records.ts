/**
 * KV v2 storage layout (relative to the mount's prefix `logical/<mount id>/`), every value
 * encrypted by the barrier with its full storage path as AAD:
 *
 *   config                         engine config JSON: {maxVersions, casRequired, deleteVersionAfterS}
 *   metadata/<key>                 key metadata JSON (KeyMeta below: versions map, settings, custom_metadata)
 *   versions/<sha256(key)>/<n>     version n's data: the JSON object the client wrote
 *
 * Metadata sits under the key's own path so LIST folds it into directories in path order. Version
 * records sit under a hash of the key so that no key can collide with another key's versions
 * (`a` + `/1` vs a key named `a/1`) and "delete all versions" is one `delPrefix`. The key itself is
 * visible in storage paths either way (as in Vault): paths are not secret, values are.
 * Every write reads `metadata/<key>` (and `config`) first, so it is guarded by their modIndex.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Result } from '@coffer/base';
import { cofferError, err, ok } from '@coffer/base';
import type { StorageView } from '../logical/types.js';
import { isObject } from '../logical/params.js';
import { goDuration, rfc3339 } from '../logical/time.js';

export const DEFAULT_MAX_VERSIONS = 10;
export const CONFIG_PATH = 'config';
export const metadataPath = (key: string): string => `metadata/${key}`;
export const versionsPrefix = (key: string): string => `versions/${bytesToHex(sha256(utf8ToBytes(key)))}/`;
export const versionPath = (key: string, version: number): string => `${versionsPrefix(key)}${version}`;

export interface KvConfig {
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfterS: number;
}

export interface VersionMeta {
  createdMs: number;
  deletionMs: number | null;
  destroyed: boolean;
}

export interface KeyMeta {
  key: string;
  currentVersion: number;
  /** Vault's sliding-window floor: 0 until the first prune, then the oldest kept version. */
  oldestVersion: number;
  createdMs: number | null;
  updatedMs: number | null;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfterS: number;
  customMetadata: Record<string, string> | null;
  versions: Record<string, VersionMeta>;
}

export const DEFAULT_CONFIG: KvConfig = { maxVersions: 0, casRequired: false, deleteVersionAfterS: 0 };

export function newKeyMeta(key: string): KeyMeta {
  return { key, currentVersion: 0, oldestVersion: 0, createdMs: null, updatedMs: null, maxVersions: 0, casRequired: false, deleteVersionAfterS: 0, customMetadata: null, versions: {} };
}

export function readConfig(view: StorageView): Result<KvConfig> {
  const raw = view.getJson(CONFIG_PATH);
  if (!raw.ok) return raw;
  if (raw.value === undefined) return ok({ ...DEFAULT_CONFIG });
  const c = raw.value;
  if (!isObject(c) || typeof c['maxVersions'] !== 'number' || typeof c['casRequired'] !== 'boolean' || typeof c['deleteVersionAfterS'] !== 'number') {
    return err(cofferError('internal', 'corrupt kv config'));
  }
  return ok({ maxVersions: c['maxVersions'], casRequired: c['casRequired'], deleteVersionAfterS: c['deleteVersionAfterS'] });
}

export function readMeta(view: StorageView, key: string): Result<KeyMeta | undefined> {
  const raw = view.getJson(metadataPath(key));
  if (!raw.ok) return raw;
  if (raw.value === undefined) return ok(undefined);
  if (!isObject(raw.value) || typeof raw.value['currentVersion'] !== 'number' || !isObject(raw.value['versions'])) {
    return err(cofferError('internal', `corrupt metadata for a key`));
  }
  return ok(raw.value as unknown as KeyMeta);
}

/** A version is deleted once its deletion time has come (inclusive: ms clocks tie often). */
export const isDeleted = (vm: VersionMeta, nowMs: number): boolean => vm.deletionMs !== null && vm.deletionMs <= nowMs;

export const effectiveMaxVersions = (meta: KeyMeta, config: KvConfig): number =>
  Math.max(meta.maxVersions, config.maxVersions) > 0 ? Math.max(meta.maxVersions, config.maxVersions) : DEFAULT_MAX_VERSIONS;

/**
 * Adds version currentVersion+1 and slides the max_versions window exactly as Vault's
 * `KeyMetadata.AddVersion`; returns the versions whose records must be deleted.
 */
export function addVersion(meta: KeyMeta, vm: VersionMeta, config: KvConfig): number[] {
  meta.currentVersion++;
  meta.versions[String(meta.currentVersion)] = vm;
  meta.updatedMs = vm.createdMs;
  meta.createdMs ??= vm.createdMs;
  const max = effectiveMaxVersions(meta, config);
  const pruned: number[] = [];
  if (meta.currentVersion - meta.oldestVersion >= max) {
    const last = meta.currentVersion - max;
    for (let v = meta.oldestVersion; v <= last; v++) {
      if (meta.versions[String(v)] !== undefined) {
        delete meta.versions[String(v)];
        pruned.push(v);
      }
    }
    meta.oldestVersion = last + 1;
  }
  return pruned;
}

/** The smallest positive of the key's and the engine's delete_version_after (0 = never). */
export function deleteAfterS(meta: KeyMeta, config: KvConfig): number {
  const positive = [meta.deleteVersionAfterS, config.deleteVersionAfterS].filter((s) => s > 0);
  return positive.length > 0 ? Math.min(...positive) : 0;
}

/** The per-version metadata object Vault returns from data reads and writes. */
export function versionMetadataBody(meta: KeyMeta, version: number, vm: VersionMeta): Record<string, unknown> {
  return {
    created_time: rfc3339(vm.createdMs),
    custom_metadata: meta.customMetadata,
    deletion_time: vm.deletionMs === null ? '' : rfc3339(vm.deletionMs),
    destroyed: vm.destroyed,
    version,
  };
}

/** GET metadata/:key's `data`. */
export function keyMetadataBody(meta: KeyMeta): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  for (const [n, vm] of Object.entries(meta.versions)) {
    versions[n] = { created_time: rfc3339(vm.createdMs), deletion_time: vm.deletionMs === null ? '' : rfc3339(vm.deletionMs), destroyed: vm.destroyed };
  }
  return {
    cas_required: meta.casRequired,
    created_time: meta.createdMs === null ? '' : rfc3339(meta.createdMs),
    current_version: meta.currentVersion,
    custom_metadata: meta.customMetadata,
    delete_version_after: goDuration(meta.deleteVersionAfterS),
    max_versions: meta.maxVersions,
    oldest_version: meta.oldestVersion,
    updated_time: meta.updatedMs === null ? '' : rfc3339(meta.updatedMs),
    versions,
  };
}
