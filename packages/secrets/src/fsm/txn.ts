/**
 * The one command the replicated state machine knows: a transaction of ciphertext writes guarded
 * by preconditions. The logical work (KV versions, CAS, later transit and tokens) happens on the
 * leader before proposing; every node then applies the Txn without keys, clock or randomness.
 *
 * Wire form (v1): [u8 0x01][varint leaderTimeMs][varint nChecks]{check}[varint nOps]{op}, where
 *   check = [u8 0 = modIndex][str path][varint modIndex] | [u8 1 = absent][str path]
 *   op    = [u8 0 = put][str path][bytes value] | [u8 1 = del][str path] | [u8 2 = delPrefix][str path]
 * and str/bytes are varint-length-prefixed. Trailing bytes are an error.
 */
import { cofferError, err, ok } from '@coffer/base';
import type { Result } from '@coffer/base';
import { ByteReader, ByteWriter, isWellFormedText } from './bytes.js';

export type TxnCheck =
  | { readonly path: string; readonly modIndex: number }
  | { readonly path: string; readonly absent: true };

export type TxnOp =
  | { readonly put: string; readonly value: Uint8Array }
  | { readonly del: string }
  | { readonly delPrefix: string };

export interface Txn {
  readonly checks: readonly TxnCheck[];
  readonly ops: readonly TxnOp[];
  /** The leader's wall clock when it built the Txn; the only time the state machine ever sees. */
  readonly leaderTimeMs: number;
}

export const TXN_VERSION = 0x01;
/** Storage paths are bounded so that a hostile entry cannot make a node build huge keys. */
export const MAX_PATH_BYTES = 4096;

/** Why a path cannot be stored; undefined when it can. delPrefix may be '' (the whole store). */
export function storagePathProblem(path: string, allowEmpty = false): string | undefined {
  if (path.length === 0) return allowEmpty ? undefined : 'empty path';
  if (path.length > MAX_PATH_BYTES) return 'path too long';
  if (!isWellFormedText(path)) return 'path is not well-formed Unicode';
  return undefined;
}

/** A Txn whose fields are all well-typed; used before encoding and after decoding. */
export function validateTxn(txn: Txn): Result<Txn> {
  const bad = (m: string): Result<Txn> => err(cofferError('invalid-request', `malformed txn: ${m}`));
  if (!Number.isSafeInteger(txn.leaderTimeMs) || txn.leaderTimeMs < 0) return bad('leaderTimeMs');
  for (const c of txn.checks) {
    const p = storagePathProblem(c.path);
    if (p !== undefined) return bad(`check: ${p}`);
    if ('modIndex' in c && (!Number.isSafeInteger(c.modIndex) || c.modIndex < 1)) return bad('check modIndex');
  }
  for (const op of txn.ops) {
    const p = 'put' in op ? storagePathProblem(op.put) : 'del' in op ? storagePathProblem(op.del) : storagePathProblem(op.delPrefix, true);
    if (p !== undefined) return bad(`op: ${p}`);
  }
  return ok(txn);
}

export function encodeTxn(txn: Txn): Uint8Array {
  const valid = validateTxn(txn);
  if (!valid.ok) throw new RangeError(valid.error.message);
  let size = 16;
  for (const op of txn.ops) size += 'put' in op ? op.put.length * 3 + op.value.length + 16 : 64;
  const w = new ByteWriter(size + txn.checks.length * 64);
  w.u8(TXN_VERSION);
  w.varint(txn.leaderTimeMs);
  w.varint(txn.checks.length);
  for (const c of txn.checks) {
    if ('modIndex' in c) {
      w.u8(0);
      w.str(c.path);
      w.varint(c.modIndex);
    } else {
      w.u8(1);
      w.str(c.path);
    }
  }
  w.varint(txn.ops.length);
  for (const op of txn.ops) {
    if ('put' in op) {
      w.u8(0);
      w.str(op.put);
      w.bytes(op.value);
    } else if ('del' in op) {
      w.u8(1);
      w.str(op.del);
    } else {
      w.u8(2);
      w.str(op.delPrefix);
    }
  }
  return w.finish();
}

/** Never throws: any malformed input is an `invalid-request` error naming the problem. */
export function decodeTxn(bytes: Uint8Array): Result<Txn> {
  const bad = (m: string): Result<Txn> => err(cofferError('invalid-request', `malformed txn: ${m}`));
  const r = new ByteReader(bytes);
  const version = r.u8();
  if (r.failure !== undefined) return bad(r.failure);
  if (version !== TXN_VERSION) return bad(`unknown version ${version}`);
  const leaderTimeMs = r.varint();
  const nChecks = r.varint();
  // Each check takes at least 2 bytes, each op at least 2: a count above that is a lie.
  if (r.failure === undefined && nChecks * 2 > r.remaining) return bad('check count exceeds input');
  const checks: TxnCheck[] = [];
  for (let i = 0; i < nChecks && r.failure === undefined; i++) {
    const kind = r.u8();
    const path = r.str();
    if (kind === 0) checks.push({ path, modIndex: r.varint() });
    else if (kind === 1) checks.push({ path, absent: true });
    else r.fail(`unknown check kind ${kind}`);
  }
  const nOps = r.varint();
  if (r.failure === undefined && nOps * 2 > r.remaining) return bad('op count exceeds input');
  const ops: TxnOp[] = [];
  for (let i = 0; i < nOps && r.failure === undefined; i++) {
    const kind = r.u8();
    const path = r.str();
    if (kind === 0) ops.push({ put: path, value: r.bytes() });
    else if (kind === 1) ops.push({ del: path });
    else if (kind === 2) ops.push({ delPrefix: path });
    else r.fail(`unknown op kind ${kind}`);
  }
  if (r.failure !== undefined) return bad(r.failure);
  if (r.remaining !== 0) return bad(`${r.remaining} trailing bytes`);
  return validateTxn({ checks, ops, leaderTimeMs });
}
