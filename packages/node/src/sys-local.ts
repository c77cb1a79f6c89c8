/**
 * The sys endpoints a node answers itself, from its own state (seal state is per node, as
 * Vault's): seal-status, unseal, seal, health, leader, key-status, GET init. Nothing here
 * proposes. Error bodies are Vault's `{"errors":[...]}`; no share, key or token is ever echoed.
 */
import type { Barrier, SealStatus } from '@coffer/barrier';
import { STATUS_BY_KIND, rfc3339 } from '@coffer/secrets';
import type { CofferError } from '@coffer/base';
import type { DrMode } from '@coffer/dr-replication';
import type { HandleRequest, HandleResponse } from './ports.js';
import type { NodeRuntime } from './runtime.js';

export const VERSION = '0.1.0';

export function errorResponse(status: number, ...messages: string[]): HandleResponse {
  return { status, body: { errors: messages } };
}

export function fromCofferError(e: CofferError): HandleResponse {
  return errorResponse(STATUS_BY_KIND[e.kind], e.message);
}

export const SEALED = (): HandleResponse => errorResponse(503, 'Coffer is sealed');
export const UNINITIALIZED = (): HandleResponse => errorResponse(503, 'Coffer is not initialized');

export function sealStatusBody(s: SealStatus): Record<string, unknown> {
  return {
    type: s.type,
    initialized: s.initialized,
    sealed: s.sealed,
    t: s.t,
    n: s.n,
    progress: s.progress,
    nonce: s.nonce,
    version: VERSION,
    build_date: '',
    migration: false,
    recovery_seal: s.recoverySeal,
    storage_type: 'raft',
    ...(s.clusterId !== undefined && !s.sealed ? { cluster_name: 'coffer', cluster_id: s.clusterId } : {}),
    ...(s.lastUnsealError !== undefined && s.sealed ? { last_unseal_error: s.lastUnsealError } : {}),
  };
}

function bodyObject(req: HandleRequest): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
}

export async function sealStatus(barrier: Barrier): Promise<HandleResponse> {
  const s = await barrier.status();
  return s.ok ? { status: 200, body: sealStatusBody(s.value) } : fromCofferError(s.error);
}

export async function unseal(barrier: Barrier, req: HandleRequest): Promise<HandleResponse> {
  const body = bodyObject(req);
  if (body['reset'] === true) {
    const r = await barrier.resetUnseal();
    return r.ok ? { status: 200, body: sealStatusBody(r.value) } : fromCofferError(r.error);
  }
  const key = body['key'];
  if (typeof key !== 'string' || key === '') return errorResponse(400, "missing required input 'key'");
  const r = await barrier.submitUnsealShare(key);
  return r.ok ? { status: 200, body: sealStatusBody(r.value) } : fromCofferError(r.error);
}

const CODE_PARAMS = ['activecode', 'standbycode', 'sealedcode', 'uninitcode', 'drsecondarycode', 'performancestandbycode'] as const;

/**
 * sys/health: 200 active, 429 standby, 472 DR secondary, 501 uninitialized, 503 sealed (Vault's
 * order: uninitialized, sealed, DR secondary, standby); query overrides as Vault.
 */
export async function health(rt: NodeRuntime, barrier: Barrier, req: HandleRequest, drMode: DrMode = 'disabled'): Promise<HandleResponse> {
  const q = req.query;
  const codes = new Map<string, number>();
  for (const p of CODE_PARAMS) {
    const raw = q[p];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 100 || n > 999) return errorResponse(400, `invalid ${p} "${raw}"`);
    codes.set(p, n);
  }
  const s = await barrier.status();
  if (!s.ok) return fromCofferError(s.error);
  const isStandby = rt.roleNow() !== 'leader';
  let status: number;
  if (!s.value.initialized) status = codes.get('uninitcode') ?? 501;
  else if (s.value.sealed) status = codes.get('sealedcode') ?? 503;
  else if (drMode === 'secondary') status = codes.get('drsecondarycode') ?? 472;
  else if (isStandby && q['standbyok'] !== 'true') status = codes.get('standbycode') ?? 429;
  else status = codes.get('activecode') ?? 200;
  const body = {
    initialized: s.value.initialized,
    sealed: s.value.sealed,
    standby: isStandby,
    performance_standby: false,
    replication_performance_mode: 'disabled',
    replication_dr_mode: drMode,
    server_time_utc: Math.floor(rt.now() / 1000),
    version: VERSION,
    cluster_name: 'coffer',
    cluster_id: s.value.clusterId ?? '',
  };
  return { status, body };
}

export function leader(rt: NodeRuntime, barrier: Barrier, activeSinceMs: number | undefined): HandleResponse {
  if (barrier.isSealed()) return SEALED();
  const leaderId = rt.leaderNow();
  const address = leaderId === null ? '' : rt.peers.get(leaderId) ?? '';
  const st = rt.status();
  return {
    status: 200,
    body: {
      ha_enabled: true,
      is_self: rt.roleNow() === 'leader',
      active_time: rt.roleNow() === 'leader' && activeSinceMs !== undefined ? rfc3339(activeSinceMs) : '0001-01-01T00:00:00Z',
      leader_address: address,
      leader_cluster_address: address,
      performance_standby: false,
      performance_standby_last_remote_wal: 0,
      raft_committed_index: st.commit,
      raft_applied_index: rt.appliedNow(),
    },
  };
}

export function keyStatus(barrier: Barrier): HandleResponse {
  const k = barrier.keyStatus();
  if (!k.ok) return fromCofferError(k.error);
  return { status: 200, body: { term: k.value.term, install_time: rfc3339(k.value.installTimeMs), encryptions: k.value.encryptions } };
}
