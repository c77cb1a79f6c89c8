import { assert, cofferError, err, ok, type Result } from '@coffer/base';
import { constantTimeEqual, plainBytes, wipe } from './bytes.js';
import { KEY_BYTES, NONCE_BYTES, type Cipher } from './cipher.js';
import { openRecord, parseRecord, sealRecord } from './envelope.js';
import type { RandomSource } from './random.js';
import { INSPECT, redacted } from './redact.js';

/** Vault's default `max_operations`: about 0.9 * 2^32, leaving room for counts lost on a crash. */
export const DEFAULT_MAX_ENCRYPTIONS = 3_865_470_566;
/** NIST SP 800-38D: with random 96-bit nonces, one key may seal at most 2^32 messages. */
export const GCM_ENCRYPTION_LIMIT = 2 ** 32;

/** What key-status reports about a term. No key bytes. */
export interface KeyTermInfo {
  readonly term: number;
  readonly installTimeMs: number;
  readonly encryptions: number;
}

export interface KeyTerm extends KeyTermInfo {
  readonly key: Uint8Array;
}

/** Everything a node (or a DR secondary) needs to rebuild the keyring; the plaintext of `core/keyring`. */
export interface KeyringState {
  readonly activeTerm: number;
  readonly maxEncryptions: number;
  readonly terms: readonly KeyTerm[];
}

interface MutableTerm {
  readonly term: number;
  readonly key: Uint8Array;
  readonly installTimeMs: number;
  encryptions: number;
}

/**
 * The terms of AES-256-GCM keys. The active term (the highest) encrypts; every term decrypts.
 * Invariants: terms are 1..N with no gaps; activeTerm === N; each key is 32 bytes.
 * Encryption counts are this node's view: only the leader encrypts, and the counts travel with
 * every keyring write (rotation, checkpoint), merged by max on apply.
 */
export class Keyring {
  private readonly terms = new Map<number, MutableTerm>();
  private active: number;
  private maxOps: number;
  private destroyed = false;

  private constructor(state: KeyringState) {
    assert(state.terms.length > 0, 'a keyring holds at least one term');
    assert(state.maxEncryptions >= 1 && state.maxEncryptions <= GCM_ENCRYPTION_LIMIT, 'maxEncryptions out of range');
    for (const t of state.terms) {
      assert(t.key.length === KEY_BYTES, `keyring term ${t.term} key must be ${KEY_BYTES} bytes`);
      assert(!this.terms.has(t.term), `keyring term ${t.term} appears twice`);
      this.terms.set(t.term, { term: t.term, key: plainBytes(t.key), installTimeMs: t.installTimeMs, encryptions: t.encryptions });
    }
    for (let term = 1; term <= state.terms.length; term++) assert(this.terms.has(term), `keyring misses term ${term}`);
    assert(state.activeTerm === state.terms.length, 'the active term is the newest term');
    this.active = state.activeTerm;
    this.maxOps = state.maxEncryptions;
  }

  /** Copies the key bytes: the caller keeps (and should wipe) its own. */
  static fromState(state: KeyringState): Keyring {
    return new Keyring(state);
  }

  static create(firstKey: Uint8Array, installTimeMs: number, maxEncryptions = DEFAULT_MAX_ENCRYPTIONS): Keyring {
    return new Keyring({ activeTerm: 1, maxEncryptions, terms: [{ term: 1, key: firstKey, installTimeMs, encryptions: 0 }] });
  }

  get activeTerm(): number {
    return this.active;
  }

  get maxEncryptions(): number {
    return this.maxOps;
  }

  /** Seals `plaintext` for `path` under the active term with a fresh random nonce. */
  encrypt(cipher: Cipher, random: RandomSource, path: string, plaintext: Uint8Array): Result<Uint8Array> {
    const t = this.activeEntry();
    if (t.encryptions >= GCM_ENCRYPTION_LIMIT) {
      // Rotation should have happened long before (maxEncryptions); refusing is safer than a nonce reuse.
      return err(cofferError('unavailable', `keyring term ${t.term} reached the AES-GCM encryption limit: rotate the keyring (sys/rotate)`));
    }
    const nonce = random.bytes(NONCE_BYTES);
    assert(nonce.length === NONCE_BYTES, 'random source returned a short nonce');
    t.encryptions++;
    return ok(sealRecord(cipher, t.key, t.term, nonce, plaintext, path));
  }

  decrypt(cipher: Cipher, path: string, record: Uint8Array): Result<Uint8Array> {
    assert(!this.destroyed, 'keyring used after destroy');
    const parsed = parseRecord(record, path);
    if (!parsed.ok) return parsed;
    const t = this.terms.get(parsed.value.term);
    if (t === undefined) {
      return err(cofferError('internal', `record at ${path} is sealed with keyring term ${parsed.value.term}, which this keyring does not hold`));
    }
    return openRecord(cipher, t.key, parsed.value, path);
  }

  /** True once the active term has sealed maxEncryptions records: the leader should rotate. */
  isRotationDue(): boolean {
    return this.activeEntry().encryptions >= this.maxOps;
  }

  activeInfo(): KeyTermInfo {
    const t = this.activeEntry();
    return { term: t.term, installTimeMs: t.installTimeMs, encryptions: t.encryptions };
  }

  /** The state as it is now (key arrays are this keyring's own: serialize them, do not keep them). */
  state(): KeyringState {
    assert(!this.destroyed, 'keyring used after destroy');
    return { activeTerm: this.active, maxEncryptions: this.maxOps, terms: [...this.terms.values()].map((t) => ({ ...t })) };
  }

  /** The state with term N+1 added and active; this keyring is unchanged (the new term is installed on apply). */
  stateWithNewTerm(key: Uint8Array, installTimeMs: number): KeyringState {
    assert(key.length === KEY_BYTES, `new keyring key must be ${KEY_BYTES} bytes`);
    const s = this.state();
    const term = s.activeTerm + 1;
    return { ...s, activeTerm: term, terms: [...s.terms, { term, key, installTimeMs, encryptions: 0 }] };
  }

  /**
   * Installs what a keyring write brought: new terms, the new active term, the rotation bound,
   * and the larger of each encryption count. Returns false (and changes nothing) when the write
   * disagrees with a key this keyring already holds, which would be a broken invariant upstream.
   */
  merge(incoming: Keyring): boolean {
    for (const t of incoming.terms.values()) {
      const mine = this.terms.get(t.term);
      if (mine !== undefined && !constantTimeEqual(mine.key, t.key)) return false;
    }
    if (incoming.active < this.active) return false;
    for (const t of incoming.terms.values()) {
      const mine = this.terms.get(t.term);
      if (mine === undefined) this.terms.set(t.term, { ...t, key: plainBytes(t.key) });
      else mine.encryptions = Math.max(mine.encryptions, t.encryptions);
    }
    this.active = incoming.active;
    this.maxOps = incoming.maxOps;
    return true;
  }

  /** Zeroes every key. The keyring is unusable afterwards. */
  destroy(): void {
    for (const t of this.terms.values()) wipe(t.key);
    this.terms.clear();
    this.destroyed = true;
  }

  toJSON(): string {
    return redacted('keyring');
  }

  [INSPECT](): string {
    return redacted('keyring');
  }

  toString(): string {
    return redacted('keyring');
  }

  private activeEntry(): MutableTerm {
    assert(!this.destroyed, 'keyring used after destroy');
    const t = this.terms.get(this.active);
    assert(t !== undefined, 'active term is present');
    return t;
  }
}

