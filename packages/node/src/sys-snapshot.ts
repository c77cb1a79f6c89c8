/**
 * GET/POST sys/storage/raft/snapshot (+ snapshot-force), on the leader.
 *
 * Save: after a ReadIndex barrier (so the file holds every acknowledged write), the state
 * machine's data records at the applied index, in the versioned archive (snapshot-archive.ts).
 * The records are ciphertext and the barrier's wrapped keys: the file holds no key in clear.
 *
 * Restore: the file is checked whole first (magic, version, length, SHA-256, that its records
 * load, that it is an initialized cluster's, and, unless forced, that it comes from this cluster);
 * any failure is a 400 and nothing changes. Then ONE raft entry (KIND_RESTORE) carries the content,
 * and every node's state machine replaces its data records with it atomically, in that entry's
 * batch; later raft snapshots carry the restored state like any other.
 *
 * Keys (Vault semantics: after a restore the cluster uses the snapshot's keyring): a node whose
 * in-memory keyring can follow the restored one (same cluster, no rotation since the file was
 * taken) installs it and stays unsealed. Otherwise (a rotation since, or another cluster's file
 * with snapshot-force) every unsealed node seals itself when it applies the entry, and is
 * unsealed again with the unseal keys that were valid when the snapshot was taken.
 */
import { cofferError, type Result } from '@coffer/base';
import { decodeSealConfig, SEAL_CONFIG_PATH } from '@coffer/barrier';
import { encodePairsAsync } from './bytes.js';
import type { LeaderResult, LogicalService } from './logical-service.js';
import { SEQ_STRIDE } from './logical-service.js';
import type { HandleRequest } from './ports.js';
import { decodeSnapshotArchive, encodeSnapshotArchive, SNAPSHOT_CONTENT_TYPE } from './snapshot-archive.js';
import { decodeOutcome, MAX_RESTORE_BYTES, parseRestoreContent, restorePayload } from './secrets-state-machine.js';

function clusterIdOf(seal: { value: Uint8Array } | undefined): Result<string> {
  if (seal === undefined) return { ok: false, error: cofferError('uninitialized', 'Coffer is not initialized') };
  const c = decodeSealConfig(seal.value);
  return c.ok ? { ok: true, value: c.value.clusterId } : c;
}

export async function snapshotSave(svc: LogicalService, _req: HandleRequest): Promise<LeaderResult> {
  const { ops, rt, sm } = svc.deps;
  const b = await ops.readBarrier();
  if (!b.ok) return b;
  const clusterId = clusterIdOf(sm.get(SEAL_CONFIG_PATH));
  if (!clusterId.ok) return svc.fail(clusterId.error);
  // Taken synchronously (by reference) at this applied index, serialized with the loop let in.
  const index = rt.appliedNow();
  const term = rt.status().term;
  const pairs = sm.dataPairs();
  const content = await encodePairsAsync(pairs, new Uint8Array(0));
  const file = encodeSnapshotArchive({ clusterId: clusterId.value, index, term }, content);
  svc.deps.logger.info('snapshot saved by operator request', { index, bytes: file.length });
  return { ok: true, value: { status: 200, raw: { contentType: SNAPSHOT_CONTENT_TYPE, body: file } } };
}

export async function snapshotRestore(svc: LogicalService, req: HandleRequest, isForced: boolean): Promise<LeaderResult> {
  const { ops, rt, sm, barrier, logger } = svc.deps;
  const file = req.rawBody;
  if (file === undefined || file.length === 0) return svc.badRequest('the request body must be the snapshot file, sent as is (Content-Type: application/octet-stream)');
  const archive = decodeSnapshotArchive(file);
  if (!archive.ok) return svc.fail(archive.error);
  const { header, content } = archive.value;
  if (content.length > MAX_RESTORE_BYTES) return svc.fail(cofferError('too-large', `snapshot content is ${content.length} bytes; at most ${MAX_RESTORE_BYTES} can be restored`));
  const parsed = parseRestoreContent(content);
  if (!parsed.ok) return svc.badRequest(`invalid snapshot file: ${parsed.error}; nothing was changed`);
  const inFile = clusterIdOf(parsed.value.fsm.get(SEAL_CONFIG_PATH));
  if (!inFile.ok) return svc.badRequest('invalid snapshot file: it holds no initialized cluster (no seal configuration); nothing was changed');
  if (inFile.value !== header.clusterId) return svc.badRequest('invalid snapshot file: the header\'s cluster id does not match its content; nothing was changed');
  const current = clusterIdOf(sm.get(SEAL_CONFIG_PATH));
  if (!current.ok) return svc.fail(current.error);
  if (!isForced && header.clusterId !== current.value) {
    return svc.badRequest(
      `the snapshot comes from cluster ${header.clusterId}, this is cluster ${current.value}; nothing was changed. ` +
        'To restore it anyway use sys/storage/raft/snapshot-force, then unseal every node with the snapshot\'s unseal keys',
    );
  }
  if (header.clusterId !== current.value) {
    // Another cluster's keyring cannot be opened with this root key, so every node will seal when
    // the entry applies. Seal the leader now: its keyring checkpoints (leader maintenance) stop, so
    // none can land after the restore and overwrite the restored keyring with this cluster's.
    barrier.seal();
    logger.warn('sealed before a forced restore of another cluster\'s snapshot', { from: header.clusterId });
  }
  const requestId = { clientId: req.requestId.clientId, seq: req.requestId.seq * SEQ_STRIDE };
  const r = await ops.proposeLocal({ kind: 'command', command: { requestId, payload: restorePayload(content) } }, performance.now() + ops.requestTimeoutMs);
  if (!r.ok) return r.error.kind === 'not-leader' || r.error.kind === 'no-leader' || r.error.kind === 'unavailable' ? r : svc.fail(r.error);
  const outcome = decodeOutcome(r.value);
  if (!outcome.ok) return svc.badRequest(`the restore was refused: ${outcome.kind === 'malformed' ? outcome.message : outcome.kind}; nothing was changed`);
  logger.warn('snapshot restored by operator request', { fromIndex: header.index, fromTerm: header.term, appliedAt: rt.appliedNow(), isForced });
  if (barrier.isSealed()) {
    // The restored keyring is not the one this node held (see the file comment): all nodes sealed.
    return { ok: true, value: { status: 200, body: { warnings: ['the restored keyring differs from the one in use: every node sealed itself; unseal each node with the unseal keys that were valid when the snapshot was taken'] } } };
  }
  return { ok: true, value: { status: 204 } };
}
