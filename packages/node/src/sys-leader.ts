/**
 * The sys endpoints that change the cluster's keys, run on the leader: init, rotate, rekey.
 * Each proposes the barrier's writes as one txn; every node applies it (sealed or not) and an
 * unsealed node installs a new keyring term when it applies it (see `wireBarrier`).
 */
import { SEAL_CONFIG_PATH } from '@coffer/barrier';
import type { HandleRequest } from './ports.js';
import { SEQ_STRIDE, type LeaderResult, type LogicalService } from './logical-service.js';
import { issueRootToken } from '@coffer/secrets';
import { errorResponse } from './sys-local.js';

function body(req: HandleRequest): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
}

function intField(b: Record<string, unknown>, name: string): number | undefined | 'bad' {
  const v = b[name];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : 'bad';
}

/**
 * Init answers by request id, kept briefly by the leader that produced them. A gateway or a
 * standby that retries the SAME request (its attempt timed out, the answer was lost on the way)
 * must get the keys that were committed, never fresh ones nor "already initialized": the keys
 * exist nowhere else. Concurrent duplicates share one promise. Held in memory only, for
 * `INIT_ANSWER_TTL_MS`, then dropped (they are the unseal keys).
 */
const INIT_ANSWER_TTL_MS = 120_000;
const initAnswers = new WeakMap<LogicalService, Map<string, { readonly atMs: number; readonly answer: Promise<LeaderResult> }>>();

/** The seq the init txn is proposed under (`proposeCoreWrites` slot 0). */
const initTxnId = (svc: LogicalService, req: HandleRequest): { clientId: string; seq: number } => ({ clientId: req.requestId.clientId, seq: req.requestId.seq * SEQ_STRIDE });

/** PUT sys/init: the barrier draws keys; the writes apply only if no seal config exists yet. */
export function leaderInit(svc: LogicalService, req: HandleRequest): Promise<LeaderResult> {
  let byId = initAnswers.get(svc);
  if (byId === undefined) initAnswers.set(svc, (byId = new Map()));
  const nowMs = performance.now();
  for (const [k, v] of byId) if (nowMs - v.atMs > INIT_ANSWER_TTL_MS) byId.delete(k);
  const key = `${req.requestId.clientId}/${req.requestId.seq}`;
  const known = byId.get(key);
  if (known !== undefined) return known.answer;
  const answer = initOnce(svc, req);
  byId.set(key, { atMs: nowMs, answer });
  return answer;
}

async function initOnce(svc: LogicalService, req: HandleRequest): Promise<LeaderResult> {
  const { barrier, logger } = svc.deps;
  const b = body(req);
  if (req.operation !== 'update' && req.operation !== 'create') return { ok: true, value: errorResponse(405, 'unsupported operation') };
  const fields = ['secret_shares', 'secret_threshold', 'recovery_shares', 'recovery_threshold'] as const;
  const v: Partial<Record<(typeof fields)[number], number>> = {};
  for (const f of fields) {
    const n = intField(b, f);
    if (n === 'bad') return svc.badRequest(`${f} must be an integer`);
    if (n !== undefined) v[f] = n;
  }
  if (svc.deps.sm.get(SEAL_CONFIG_PATH) !== undefined) {
    // This very request initialized the cluster through another leader, whose answer was lost.
    if (svc.deps.sm.hasApplied(initTxnId(svc, req))) {
      logger.error('init committed but its answer was lost in a leader change; the unseal keys cannot be recovered');
      return { ok: true, value: errorResponse(500, 'initialization committed, but its answer (the unseal keys) was lost when the leader changed during the request; the keys cannot be recovered: stop every node, delete their data directories, start them again and run init again') };
    }
    return svc.badRequest('Coffer is already initialized');
  }
  // Auto-unseal forces the barrier's own split to 1/1 (Vault); the operator gets recovery shares.
  const isAuto = svc.deps.isAutoSeal === true;
  const secretShares = isAuto ? 1 : v.secret_shares;
  const secretThreshold = isAuto ? 1 : v.secret_threshold;
  if (secretShares === undefined || secretThreshold === undefined) return svc.badRequest('secret_shares and secret_threshold are required');
  const r = await barrier.init(
    {
      secretShares,
      secretThreshold,
      ...(v.recovery_shares !== undefined ? { recoveryShares: v.recovery_shares } : {}),
      ...(v.recovery_threshold !== undefined ? { recoveryThreshold: v.recovery_threshold } : {}),
    },
    { nowMs: svc.deps.rt.now() },
  );
  if (!r.ok) return svc.fail(r.error);
  const p = await svc.proposeCoreWrites(req, r.value.writes, [{ path: SEAL_CONFIG_PATH, absent: true }], 0);
  if (!p.ok) return p;
  if (!p.value.outcome.ok) return svc.badRequest('Coffer is already initialized');
  logger.info('cluster initialized', { clusterId: r.value.clusterId });
  const rootToken = await issueRoot(svc, req, r.value.keys.slice(0, secretThreshold));
  svc.deps.afterInit?.();
  return {
    ok: true,
    value: {
      status: 200,
      body: {
        keys: r.value.keys,
        keys_base64: r.value.keysBase64,
        recovery_keys: r.value.recoveryKeys,
        recovery_keys_base64: r.value.recoveryKeysBase64,
        root_token: rootToken,
        // Vault has generate-root for this; Coffer does not yet, so say it where the operator looks.
        ...(rootToken === ''
          ? { warnings: ['the cluster is initialized and these unseal keys are valid, but the root token could not be issued (leadership changed or the leader could not unseal during init): no root token exists; for a new cluster, stop the nodes, delete their data directories and init again'] }
          : {}),
      },
    },
  };
}

/**
 * As Vault: the leader unseals itself with the fresh shares just long enough to issue the root
 * token (through the replicated token store), then seals again (Shamir). Under auto-unseal it
 * unseals from KMS and stays unsealed. "" (logged) if it could not be issued.
 */
async function issueRoot(svc: LogicalService, req: HandleRequest, shares: readonly string[]): Promise<string> {
  const { barrier, logger } = svc.deps;
  const wasSealed = barrier.isSealed();
  if (svc.deps.isAutoSeal === true) await barrier.autoUnseal();
  else for (const share of shares) await barrier.submitUnsealShare(share);
  if (barrier.isSealed()) {
    logger.error('root token not issued: the leader could not unseal with the new keys');
    return '';
  }
  // Slots 0 (init txn) and 1 (rekey) are taken; the token's txn and its conflict retries use 4+.
  const token = await issueRootToken(svc.executorFor(req, 4).executor);
  if (wasSealed && svc.deps.isAutoSeal !== true) barrier.seal();
  if (!token.ok) {
    logger.error('root token not issued', { kind: token.error.kind, message: token.error.message });
    return '';
  }
  return token.value;
}

/** PUT sys/rotate: a new keyring term drawn here, installed by every node when it applies. */
export async function leaderRotate(svc: LogicalService, req: HandleRequest): Promise<LeaderResult> {
  const { barrier, logger } = svc.deps;
  const prepared = barrier.prepareRotation(svc.deps.rt.now());
  if (!prepared.ok) return svc.fail(prepared.error);
  const p = await svc.proposeCoreWrites(req, [prepared.value.write], [], 0);
  if (!p.ok) return p;
  if (!p.value.outcome.ok) return { ok: true, value: errorResponse(409, 'a concurrent rotation won; retry') };
  logger.info('keyring rotated', { term: prepared.value.term });
  return { ok: true, value: { status: 204 } };
}

/** sys/rekey/init (GET status, PUT start, DELETE cancel) and sys/rekey/update (key, nonce). */
export async function leaderRekey(svc: LogicalService, req: HandleRequest, sub: string): Promise<LeaderResult> {
  const { barrier, logger } = svc.deps;
  const b = body(req);
  const statusBody = (): Record<string, unknown> => {
    const s = barrier.rekeyStatus();
    return s === undefined
      ? { started: false, nonce: '', t: 0, n: 0, progress: 0, required: 0, pgp_fingerprints: null, backup: false, verification_required: false }
      : { started: true, nonce: s.nonce, t: s.t, n: s.n, progress: s.progress, required: s.required, pgp_fingerprints: null, backup: false, verification_required: false };
  };
  if (sub === 'init') {
    if (req.operation === 'read') return { ok: true, value: { status: 200, body: statusBody() } };
    if (req.operation === 'delete') {
      const c = barrier.rekeyCancel();
      return c.ok ? { ok: true, value: { status: 204 } } : svc.fail(c.error);
    }
    const shares = intField(b, 'secret_shares');
    const threshold = intField(b, 'secret_threshold');
    if (typeof shares !== 'number' || typeof threshold !== 'number') return svc.badRequest('secret_shares and secret_threshold must be integers');
    const s = await barrier.rekeyInit({ secretShares: shares, secretThreshold: threshold });
    return s.ok ? { ok: true, value: { status: 200, body: statusBody() } } : svc.fail(s.error);
  }
  if (sub !== 'update') return { ok: true, value: errorResponse(404, `unsupported path sys/rekey/${sub}`) };
  const key = b['key'];
  const nonce = b['nonce'];
  if (typeof key !== 'string' || key === '' || typeof nonce !== 'string') return svc.badRequest("'key' and 'nonce' are required");
  const u = await barrier.rekeyUpdate(key, nonce);
  if (!u.ok) return svc.fail(u.error);
  if (!u.value.complete) return { ok: true, value: { status: 200, body: statusBody() } };
  const p = await svc.proposeCoreWrites(req, u.value.writes, [], 1);
  if (!p.ok) return p;
  if (!p.value.outcome.ok) return { ok: true, value: errorResponse(500, 'the rekey write was refused; start again') };
  logger.info('rekeyed', { shares: u.value.keys.length });
  return { ok: true, value: { status: 200, body: { complete: true, nonce: u.value.nonce, keys: u.value.keys, keys_base64: u.value.keysBase64 } } };
}
