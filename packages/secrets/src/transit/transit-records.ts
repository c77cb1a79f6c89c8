/**
 * A transit key's stored record (`policy/<name>` under the mount, like Vault's keysutil policy):
 * settings plus every version's material, as one JSON document that only ever leaves this process
 * through `StorageView.putJson`, i.e. sealed by the barrier (AAD = full storage path).
 *
 * Invariants: 1 <= minDecryptionVersion <= latestVersion; minEncryptionVersion is 0 (= latest) or
 * in [minDecryptionVersion, latestVersion]; `keys` holds every version 1..latestVersion (versions
 * below minDecryptionVersion are kept, like Vault's archive, so lowering it again works).
 */
import { cofferError, err, ok } from '@coffer/base';
import type { Result } from '@coffer/base';
import { isObject } from '../logical/params.js';
import type { StorageView } from '../logical/types.js';
import { KEY_BYTES, decodeBase64, encodeBase64, isKeyType } from './transit-crypto.js';
import type { TransitKeyType } from './transit-crypto.js';

export const TRANSIT_MOUNT_TYPE = 'transit';
export const POLICY_PREFIX = 'policy/';
/** Vault's `framework.GenericNameRegex`: word characters, inner `-`, `.` and `@`. */
export const KEY_NAME = /^\w(?:[\w\-.@]*\w)?$/;

export interface KeyVersion {
  /** base64 of the 32-byte key. */
  readonly key: string;
  /** Creation time, unix seconds (the leader's clock, carried in the txn). */
  readonly createdS: number;
}

export interface TransitKeyRecord {
  readonly name: string;
  readonly type: TransitKeyType;
  readonly derived: boolean;
  readonly exportable: boolean;
  readonly allowPlaintextBackup: boolean;
  readonly deletionAllowed: boolean;
  readonly minDecryptionVersion: number;
  readonly minEncryptionVersion: number;
  readonly latestVersion: number;
  readonly keys: Readonly<Record<string, KeyVersion>>;
}

export const policyPath = (name: string): string => `${POLICY_PREFIX}${name}`;

function isKeyVersion(v: unknown): v is KeyVersion {
  return isObject(v) && typeof v['key'] === 'string' && typeof v['createdS'] === 'number';
}

function isRecord(v: unknown): v is TransitKeyRecord {
  if (!isObject(v)) return false;
  const ints = ['minDecryptionVersion', 'minEncryptionVersion', 'latestVersion'].every((k) => Number.isSafeInteger(v[k]));
  const bools = ['derived', 'exportable', 'allowPlaintextBackup', 'deletionAllowed'].every((k) => typeof v[k] === 'boolean');
  return ints && bools && typeof v['name'] === 'string' && typeof v['type'] === 'string' && isKeyType(v['type']) &&
    isObject(v['keys']) && Object.values(v['keys']).every(isKeyVersion);
}

/** Reads (and guards) a key's record; undefined when the key does not exist. */
export function readKey(view: StorageView, name: string): Result<TransitKeyRecord | undefined> {
  const raw = view.getJson(policyPath(name));
  if (!raw.ok || raw.value === undefined) return raw as Result<undefined>;
  // Never echo the record: it holds key material.
  return isRecord(raw.value) ? ok(raw.value) : err(cofferError('internal', `corrupt transit key record for "${name}"`));
}

export const writeKey = (view: StorageView, rec: TransitKeyRecord): Result<void> => view.putJson(policyPath(rec.name), rec);

/** One version's raw key; undefined for a version the record does not hold. */
export function keyMaterial(rec: TransitKeyRecord, version: number): Uint8Array | undefined {
  const v = rec.keys[String(version)];
  if (v === undefined) return undefined;
  const bytes = decodeBase64(v.key);
  if (!bytes.ok || bytes.value.length !== KEY_BYTES) throw new Error(`transit key "${rec.name}" v${version} is malformed`);
  return bytes.value;
}

export interface NewKeyOptions {
  readonly name: string;
  readonly type: TransitKeyType;
  readonly derived: boolean;
  readonly exportable: boolean;
  readonly allowPlaintextBackup: boolean;
}

/** A new key at version 1; `material` is drawn by the leader from a CSPRNG. */
export function newKeyRecord(opts: NewKeyOptions, material: Uint8Array, nowMs: number): TransitKeyRecord {
  return {
    ...opts,
    deletionAllowed: false,
    minDecryptionVersion: 1,
    minEncryptionVersion: 0,
    latestVersion: 1,
    keys: { '1': { key: encodeBase64(material), createdS: Math.floor(nowMs / 1000) } },
  };
}

export function rotatedRecord(rec: TransitKeyRecord, material: Uint8Array, nowMs: number): TransitKeyRecord {
  const next = rec.latestVersion + 1;
  return { ...rec, latestVersion: next, keys: { ...rec.keys, [String(next)]: { key: encodeBase64(material), createdS: Math.floor(nowMs / 1000) } } };
}

/** `GET keys/:name`'s data, the shape of Vault's `formatKeyPolicy` for symmetric keys. */
export function keyInfo(rec: TransitKeyRecord): Record<string, unknown> {
  // Like Vault, versions below min_decryption_version are archived and not listed.
  const keys: Record<string, number> = {};
  for (let v = rec.minDecryptionVersion; v <= rec.latestVersion; v++) {
    const kv = rec.keys[String(v)];
    if (kv !== undefined) keys[String(v)] = kv.createdS;
  }
  const info: Record<string, unknown> = {
    allow_plaintext_backup: rec.allowPlaintextBackup,
    auto_rotate_period: 0,
    deletion_allowed: rec.deletionAllowed,
    derived: rec.derived,
    exportable: rec.exportable,
    imported_key: false,
    keys,
    latest_version: rec.latestVersion,
    min_available_version: 0,
    min_decryption_version: rec.minDecryptionVersion,
    min_encryption_version: rec.minEncryptionVersion,
    name: rec.name,
    supports_decryption: true,
    supports_derivation: true,
    supports_encryption: true,
    supports_signing: false,
    type: rec.type,
  };
  if (rec.derived) {
    info['kdf'] = 'hkdf_sha256';
    info['convergent_encryption'] = false;
  }
  return info;
}
