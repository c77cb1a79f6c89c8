import { cofferError, err, ok, type Result } from '@coffer/base';
import { wipe } from './bytes.js';
import { KEY_BYTES, type Cipher } from './cipher.js';
import type { CoreWrite } from './core-store.js';
import { GCM_ENCRYPTION_LIMIT, type Keyring, type KeyringState, type KeyTermInfo } from './keyring.js';
import { openKeyringBlob, sealKeyringState } from './keyring-blob.js';
import { KEYRING_PATH } from './layout.js';
import type { RandomSource } from './random.js';

/** A `core/keyring` write for the leader to propose, and the active term it carries. */
export interface KeyringProposal {
  readonly term: number;
  readonly write: CoreWrite;
}

/**
 * What an unsealed node does with its keyring. Rotation follows "draw, propose, apply":
 * the leader draws the new key (`prepareRotation`), the entry carries it sealed under the root key
 * inside the whole keyring blob, and every node installs the same term when it applies the entry
 * (`apply`). A sealed node applies the same entry by storing the blob, no key needed, and reads it
 * at unseal. The state machine can refuse a stale blob by its clear-text term (`keyringBlobTerm`):
 * a rotation must carry stored term + 1, a checkpoint or config change the stored term.
 */
export class KeyringOps {
  constructor(
    private readonly keyring: Keyring,
    private readonly rootKey: Uint8Array,
    private readonly cipher: Cipher,
    private readonly random: RandomSource,
  ) {}

  encrypt(path: string, plaintext: Uint8Array): Result<Uint8Array> {
    return this.keyring.encrypt(this.cipher, this.random, path, plaintext);
  }

  decrypt(path: string, record: Uint8Array): Result<Uint8Array> {
    return this.keyring.decrypt(this.cipher, path, record);
  }

  keyStatus(): KeyTermInfo {
    return this.keyring.activeInfo();
  }

  isRotationDue(): boolean {
    return this.keyring.isRotationDue();
  }

  prepareRotation(nowMs: number): KeyringProposal {
    const key = this.random.bytes(KEY_BYTES);
    try {
      return this.proposal(this.keyring.stateWithNewTerm(key, nowMs));
    } finally {
      wipe(key);
    }
  }

  prepareCheckpoint(): KeyringProposal {
    return this.proposal(this.keyring.state());
  }

  prepareRotationConfig(maxEncryptions: number): Result<KeyringProposal> {
    if (!Number.isInteger(maxEncryptions) || maxEncryptions < 1 || maxEncryptions > GCM_ENCRYPTION_LIMIT) {
      return err(cofferError('invalid-request', `max_operations must be an integer between 1 and ${GCM_ENCRYPTION_LIMIT}`));
    }
    return ok(this.proposal({ ...this.keyring.state(), maxEncryptions }));
  }

  apply(blob: Uint8Array): Result<KeyTermInfo> {
    const incoming = openKeyringBlob(this.cipher, this.rootKey, blob);
    if (!incoming.ok) return incoming;
    try {
      if (!this.keyring.merge(incoming.value)) {
        return err(cofferError('internal', 'keyring write is older than, or conflicts with, the installed keyring'));
      }
      return ok(this.keyring.activeInfo());
    } finally {
      incoming.value.destroy();
    }
  }

  private proposal(state: KeyringState): KeyringProposal {
    const value = sealKeyringState(this.cipher, this.rootKey, this.random, state);
    return { term: state.activeTerm, write: { path: KEYRING_PATH, value } };
  }
}
