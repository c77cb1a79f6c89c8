import { cofferError, err, ok, type Result } from '@coffer/base';
import { KEY_BYTES, NONCE_BYTES, nodeCipher } from './cipher.js';
import { openRecord, parseRecord, ROOT_KEY_TERM, sealRecord } from './envelope.js';
import { cryptoRandom, type RandomSource } from './random.js';
import { INSPECT, redacted } from './redact.js';
import type { Seal, SealContext } from './seal.js';

/**
 * The in-memory twin of an auto-unseal seal (the role AWS KMS plays), for tests of the barrier and
 * the node: it wraps with a key it keeps in memory, binds the cluster id (as the AAD, the way KMS
 * binds its encryption context), and can be made unavailable to exercise "KMS down" paths.
 */
export class MemoryAutoSeal implements Seal {
  readonly type = 'awskms' as const;
  readonly isAutoUnseal = true;
  /** Set to a message to make every call fail with `unavailable`. */
  outage: string | undefined;
  private readonly key: Uint8Array;

  constructor(private readonly random: RandomSource = cryptoRandom) {
    this.key = random.bytes(KEY_BYTES);
  }

  async wrap(rootKey: Uint8Array, context: SealContext): Promise<Result<Uint8Array>> {
    if (this.outage !== undefined) return err(cofferError('unavailable', this.outage));
    return ok(sealRecord(nodeCipher, this.key, ROOT_KEY_TERM, this.random.bytes(NONCE_BYTES), rootKey, aad(context)));
  }

  async unwrap(blob: Uint8Array, context: SealContext): Promise<Result<Uint8Array>> {
    if (this.outage !== undefined) return err(cofferError('unavailable', this.outage));
    const parsed = parseRecord(blob, aad(context));
    if (!parsed.ok) return parsed;
    const opened = openRecord(nodeCipher, this.key, parsed.value, aad(context));
    if (!opened.ok) return err(cofferError('internal', 'blob was not wrapped by this seal for this cluster (encryption context mismatch)'));
    return opened;
  }

  toJSON(): string {
    return redacted('memory seal');
  }

  [INSPECT](): string {
    return redacted('memory seal');
  }
}

function aad(context: SealContext): string {
  return `memory-seal/${context.clusterId}`;
}
