/**
 * The token store's records and keyed hashing. A token id is never stored: its record lives at
 * `auth/token/id/<HMAC-SHA256(key, "token:" + id) hex>`, where the HMAC key is itself a barrier-
 * encrypted record (`auth/token/hmac-key`), so neither a path nor a value nor the raft log
 * reveals a token, and a stolen snapshot cannot be used to test guesses offline without the key.
 * Accessors are indexed the same way (`auth/token/accessor/<hash>`), and each non-orphan token has
 * a marker `auth/token/parent/<parent hash>/<child hash>` so revoking a parent finds its children.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { cofferError, err, ok } from '@coffer/base';
import type { Result } from '@coffer/base';
import type { StorageView } from '../logical/types.js';
import { isObject } from '../logical/params.js';

export const TOKEN_STORE_PREFIX = 'auth/token/';
export const HMAC_KEY_PATH = 'auth/token/hmac-key';
export const idPath = (hash: string): string => `auth/token/id/${hash}`;
export const accessorPath = (hash: string): string => `auth/token/accessor/${hash}`;
export const childrenPrefix = (parentHash: string): string => `auth/token/parent/${parentHash}/`;
export const ID_PREFIX = 'auth/token/id/';

/** Vault's system max lease TTL (and default TTL): 32 days. */
export const SYSTEM_MAX_TTL_S = 768 * 3600;

export interface TokenEntry {
  readonly accessor: string;
  /** Sorted; `['root']` for root tokens. */
  readonly policies: readonly string[];
  readonly meta: Readonly<Record<string, string>> | null;
  readonly displayName: string;
  /** Hash of the parent token; '' for an orphan. */
  readonly parentHash: string;
  readonly creationMs: number;
  /** 0 = no expiry (root tokens). */
  readonly creationTtlS: number;
  /** Absolute expiry on the leader's clock; 0 = never. */
  readonly expireMs: number;
  readonly explicitMaxTtlS: number;
  readonly periodS: number;
  readonly renewable: boolean;
  /** Uses left; 0 = unlimited. */
  readonly numUses: number;
  /** `auth/token/create`, `auth/token/create-orphan` or `auth/token/root`. */
  readonly path: string;
  readonly lastRenewalMs: number;
  /** Bumped whenever a child is created: a racing tree revocation then conflicts and re-runs. */
  readonly childGeneration: number;
}

export type RandomBytes = (n: number) => Uint8Array;

export const defaultRandomBytes: RandomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` base62 characters by rejection sampling (no modulo bias). */
export function randomBase62(random: RandomBytes, length: number): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    if (round > 64) throw new Error('random source keeps returning bytes >= 248');
    for (const b of random(length * 2)) if (b < 248 && out.length < length) out += BASE62[b % 62];
  }
  return out;
}

export const newTokenId = (random: RandomBytes): string => `hvs.${randomBase62(random, 24)}`;
export const newAccessor = (random: RandomBytes): string => randomBase62(random, 24);

export class TokenHasher {
  constructor(private readonly key: Uint8Array) {}
  token(id: string): string {
    return bytesToHex(hmac(sha256, this.key, utf8ToBytes(`token:${id}`)));
  }
  accessor(accessor: string): string {
    return bytesToHex(hmac(sha256, this.key, utf8ToBytes(`accessor:${accessor}`)));
  }
}

/**
 * The store's HMAC key. Absent: with `random`, a new key is drawn and queued for writing in
 * this txn (guarded by the absence check, so two racing creators cannot both win); without,
 * `undefined` (no token can exist yet).
 */
export function loadHasher(view: StorageView, random?: RandomBytes): Result<TokenHasher | undefined> {
  const raw = view.get(HMAC_KEY_PATH);
  if (!raw.ok) return raw;
  if (raw.value !== undefined) {
    if (raw.value.length !== 32) return err(cofferError('internal', 'corrupt token store key'));
    return ok(new TokenHasher(raw.value));
  }
  if (random === undefined) return ok(undefined);
  const key = random(32);
  const put = view.put(HMAC_KEY_PATH, key);
  if (!put.ok) return put;
  return ok(new TokenHasher(key));
}

export function readToken(view: StorageView, hash: string): Result<TokenEntry | undefined> {
  const raw = view.getJson(idPath(hash));
  if (!raw.ok || raw.value === undefined) return raw as Result<undefined>;
  if (!isObject(raw.value) || typeof raw.value['accessor'] !== 'string' || !Array.isArray(raw.value['policies'])) {
    return err(cofferError('internal', 'corrupt token entry'));
  }
  return ok(raw.value as unknown as TokenEntry);
}

/** Expired when the leader's time for this request is at or past the expiry. */
export const isExpired = (entry: TokenEntry, nowMs: number): boolean => entry.expireMs !== 0 && nowMs >= entry.expireMs;

/** Remaining TTL in whole seconds (0 for tokens that never expire). */
export const remainingTtlS = (entry: TokenEntry, nowMs: number): number => (entry.expireMs === 0 ? 0 : Math.max(0, Math.floor((entry.expireMs - nowMs) / 1000)));

export function writeToken(view: StorageView, hash: string, entry: TokenEntry): Result<void> {
  return view.putJson(idPath(hash), entry);
}
