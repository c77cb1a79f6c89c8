/**
 * Vault's DR replication endpoints (sys/replication/dr/*, sys/replication/status) on a node.
 *
 * | path (under sys/replication/)                     | method         | auth                 |
 * |---------------------------------------------------|----------------|----------------------|
 * | status, dr/status                                 | GET            | none (works sealed)  |
 * | dr/primary/enable, secondary-token, revoke-secondary, demote, disable, batch-token | POST | root |
 * | dr/secondary/enable                               | POST           | root (of this cluster) |
 * | dr/secondary/promote, update-primary, disable     | POST           | dr_operation_token   |
 * | dr/secondary/generate-operation-token/attempt     | GET/POST/DELETE| none (shares decide) |
 * | dr/secondary/generate-operation-token/update      | POST           | none (shares decide) |
 * | dr/secondary/operation-token/delete               | POST           | dr_operation_token   |
 *
 * Everything but status runs on the leader (a standby forwards). A DR secondary serves no client
 * token, so its privileged calls take a DR operation token (or a DR batch token made on the
 * primary); those work on a sealed secondary. Handlers answer every failure as a response (never
 * a routing error): the forwarder must not re-run an enable or a promote whose first attempt may
 * have applied; the operator reads dr/status and decides. No token, share or credential is ever
 * echoed in an answer or a log.
 */
import { ok, type CofferError } from '@coffer/base';
import { SEAL_CONFIG_PATH } from '@coffer/barrier';
import {
  activateWithToken,
  checkDrOperationAuth,
  decodeActivationToken,
  hashSecret,
  mintActivationToken,
  mintDrBatchToken,
  writeRefusal,
  type ActivationClaims,
  type DrBatchTokenRecord,
  type DrCommand,
  type DrGuardedOperation,
  type DrOperationAuth,
  type DrState,
} from '@coffer/dr-replication';
import { parseDurationSeconds } from '@coffer/secrets';
import { fromUtf8, utf8 } from './bytes.js';
import type { DrController } from './dr-controller.js';
import { sealedClusterId } from './dr-primary-node.js';
import type { LeaderResult, LogicalService } from './logical-service.js';
import type { HandleRequest, HandleResponse, LogicalOperation } from './ports.js';
import { errorResponse, fromCofferError, SEALED, UNINITIALIZED } from './sys-local.js';

/** Where DR batch token records live: replicated data (hash only), so every secondary can check one. */
export const DR_BATCH_TOKEN_PREFIX = 'core/dr/batch-tokens/';
const DEFAULT_TOKEN_TTL_S = 30 * 60;

type Handler = (c: Call) => Promise<HandleResponse>;
interface Route {
  readonly ops: readonly LogicalOperation[];
  /** `root`: a client token with the root policy, checked on an initialized, unsealed node. */
  readonly auth: 'none' | 'root';
  readonly run: Handler;
}
interface Call {
  readonly svc: LogicalService;
  readonly dr: DrController;
  readonly req: HandleRequest;
  readonly body: Readonly<Record<string, unknown>>;
  readonly nowMs: number;
}

const POST: readonly LogicalOperation[] = ['create', 'update'];
const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['dr/primary/enable', { ops: POST, auth: 'root', run: (c) => command(c, { kind: 'enable-primary', clusterId: sealedClusterId(c.svc.deps.sm) ?? '', nowMs: c.nowMs }) }],
  ['dr/primary/secondary-token', { ops: POST, auth: 'root', run: secondaryToken }],
  ['dr/primary/revoke-secondary', { ops: POST, auth: 'root', run: (c) => withId(c, (id) => command(c, { kind: 'revoke-secondary', secondaryId: id, nowMs: c.nowMs })) }],
  ['dr/primary/demote', { ops: POST, auth: 'root', run: (c) => command(c, { kind: 'demote' }) }],
  ['dr/primary/disable', { ops: POST, auth: 'root', run: (c) => command(c, { kind: 'disable-primary' }) }],
  ['dr/primary/batch-token', { ops: POST, auth: 'root', run: batchToken }],
  ['dr/secondary/enable', { ops: POST, auth: 'root', run: secondaryEnable }],
  ['dr/secondary/promote', { ops: POST, auth: 'none', run: (c) => guarded(c, 'promote', (auth) => command(c, { kind: 'promote', auth, nowMs: c.nowMs })) }],
  ['dr/secondary/update-primary', { ops: POST, auth: 'none', run: updatePrimary }],
  ['dr/secondary/disable', { ops: POST, auth: 'none', run: (c) => guarded(c, 'secondary-disable', (auth) => command(c, { kind: 'disable-secondary', auth, nowMs: c.nowMs })) }],
  ['dr/secondary/generate-operation-token/attempt', { ops: ['read', 'create', 'update', 'delete'], auth: 'none', run: attempt }],
  ['dr/secondary/generate-operation-token/update', { ops: POST, auth: 'none', run: attemptUpdate }],
  ['dr/secondary/operation-token/delete', { ops: POST, auth: 'none', run: deleteOperationToken }],
]);

/** Undefined when `path` is not under sys/replication/ (the caller goes on). */
export function routeReplication(svc: LogicalService, req: HandleRequest, path: string, isForwarded: boolean): Promise<LeaderResult> | undefined {
  if (!path.startsWith('sys/replication/')) return undefined;
  const rest = path.slice('sys/replication/'.length);
  const dr = svc.deps.dr;
  if (dr === undefined) return Promise.resolve(ok(errorResponse(404, 'DR replication is not configured on this node')));
  if (rest === 'status' || rest === 'dr/status') return status(svc, dr, req, isForwarded, rest === 'status');
  const route = ROUTES.get(rest);
  if (route === undefined) return Promise.resolve(ok(errorResponse(404, `no such path: ${path.slice(0, 120)} (see sys/replication/dr/status)`)));
  return (async (): Promise<LeaderResult> => {
    if (!route.ops.includes(req.operation)) return ok(errorResponse(405, `unsupported operation on ${path}`));
    const body = req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
    if (route.auth === 'root') {
      if (svc.deps.sm.get(SEAL_CONFIG_PATH) === undefined) return ok(UNINITIALIZED());
      if (svc.deps.barrier.isSealed()) return ok(SEALED());
      const denied = await svc.requireRoot(req);
      if (denied !== undefined) return ok(denied);
    }
    return svc.onLeader(req, isForwarded, async () => ok(await route.run({ svc, dr, req, body, nowMs: svc.deps.rt.now() })));
  })();
}

/** Status on the leader (the streamer's lag lives there); this node's own view when none answers. */
async function status(svc: LogicalService, dr: DrController, req: HandleRequest, isForwarded: boolean, isBoth: boolean): Promise<LeaderResult> {
  if (req.operation !== 'read') return ok(errorResponse(405, 'unsupported operation: GET the status'));
  const local = (): LeaderResult => {
    const s = dr.status();
    return ok({ status: 200, body: { data: isBoth ? { dr: s, performance: { mode: 'disabled' } } : s } });
  };
  if (isForwarded || svc.deps.rt.roleNow() === 'leader' || svc.deps.rt.leaderNow() === null) return local();
  const r = await svc.onLeader(req, false, async () => local(), true);
  return r.ok ? r : local();
}

async function command(c: Call, cmd: DrCommand): Promise<HandleResponse> {
  const r = await c.dr.primaryNode.propose(cmd);
  if (!r.ok) return proposalFailure(r.error, cmd.kind);
  await c.dr.reconcile();
  return { status: 200, body: { data: c.dr.status() } };
}

/** Refusals keep their status; a lost leadership says how to find out what happened. */
function proposalFailure(e: CofferError, what: string): HandleResponse {
  if (e.kind === 'not-leader' || e.kind === 'no-leader' || e.kind === 'timeout' || e.kind === 'unavailable') {
    return errorResponse(503, `${what}: ${e.message}; the command may or may not have applied: check sys/replication/dr/status before retrying`);
  }
  return fromCofferError(e);
}

function text(body: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' ? v.trim() : undefined;
}

async function withId(c: Call, fn: (id: string) => Promise<HandleResponse>): Promise<HandleResponse> {
  const id = text(c.body, 'id');
  if (id === undefined || id === '') return errorResponse(400, '"id" is required: the name of the secondary (see known_secondaries in sys/replication/dr/status)');
  return fn(id);
}

function ttlSeconds(raw: unknown, fallback: number | undefined): number | undefined {
  if (raw === undefined || raw === '') return fallback;
  const s = parseDurationSeconds(raw);
  return s !== undefined && s > 0 ? s : undefined;
}

async function secondaryToken(c: Call): Promise<HandleResponse> {
  return withId(c, async (id) => {
    const state = c.dr.state();
    if (state.mode !== 'primary') return errorResponse(400, `this cluster is not a DR primary (mode ${state.mode}): enable it first with sys/replication/dr/primary/enable`);
    const ttl = ttlSeconds(c.body['ttl'], DEFAULT_TOKEN_TTL_S);
    if (ttl === undefined) return errorResponse(400, '"ttl" must be a positive duration: seconds, or "30m", "1h"');
    const caPem = c.dr.deps.tls?.caPem;
    const minted = mintActivationToken(
      {
        secondaryId: id,
        primaryClusterId: state.clusterId,
        primaryAddresses: c.dr.drAddresses(),
        epoch: state.epoch,
        nowMs: c.nowMs,
        ttlMs: ttl * 1000,
        ...(caPem === undefined ? {} : { primaryCaPem: typeof caPem === 'string' ? caPem : fromUtf8(caPem) }),
      },
      c.dr.random,
    );
    if (!minted.ok) return fromCofferError(minted.error);
    const r = await c.dr.primaryNode.propose({ kind: 'issue-secondary-token', secondaryId: id, secretHash: minted.value.secretHash, nowMs: c.nowMs, ttlMs: ttl * 1000 });
    if (!r.ok) return proposalFailure(r.error, 'secondary-token');
    const wrap = { token: minted.value.token, ttl, creation_time: new Date(c.nowMs).toISOString(), expires_at: new Date(c.nowMs + ttl * 1000).toISOString(), creation_path: 'sys/replication/dr/primary/secondary-token' };
    return { status: 200, body: { request_id: '', lease_id: '', renewable: false, lease_duration: 0, data: null, wrap_info: wrap, warnings: null, auth: null } };
  });
}

async function batchToken(c: Call): Promise<HandleResponse> {
  const state = c.dr.state();
  if (state.mode !== 'primary' || state.fence !== undefined) return errorResponse(400, 'DR batch tokens are made on an active DR primary: enable it first (sys/replication/dr/primary/enable)');
  const ttl = ttlSeconds(c.body['ttl'], undefined);
  if (ttl === undefined) return errorResponse(400, '"ttl" is required: a positive duration up to 7 days, e.g. "8h"');
  const ops = c.body['operations'];
  if (ops !== undefined && !(Array.isArray(ops) && ops.every((o) => typeof o === 'string'))) return errorResponse(400, '"operations" must be a list of operation names');
  const minted = mintDrBatchToken(
    { nowMs: c.nowMs, ttlMs: ttl * 1000, displayName: text(c.body, 'display_name') || 'dr-batch', ...(ops === undefined ? {} : { operations: ops as DrGuardedOperation[] }) },
    c.dr.random,
  );
  if (!minted.ok) return fromCofferError(minted.error);
  const { record, token } = minted.value;
  const r = await c.svc.proposeCoreWrites(c.req, [{ path: DR_BATCH_TOKEN_PREFIX + record.tokenHash, value: utf8(JSON.stringify(record)) }], [], 0);
  if (!r.ok) return proposalFailure(r.error, 'batch-token');
  if (!r.value.outcome.ok) return errorResponse(500, 'the DR batch token was not stored; create another');
  return { status: 200, body: { data: { token, display_name: record.displayName, expires_at: new Date(record.expiresAtMs).toISOString(), operations: record.operations } } };
}

async function secondaryEnable(c: Call): Promise<HandleResponse> {
  const state = c.dr.state();
  if (state.mode !== 'disabled') {
    const hint = state.mode === 'secondary' ? 'use sys/replication/dr/secondary/update-primary to follow another primary' : 'demote or disable the primary first';
    return errorResponse(400, `this cluster is already a DR ${state.mode}: ${hint}`);
  }
  const token = text(c.body, 'token');
  if (token === undefined || token === '') return errorResponse(400, '"token" is required: an activation token from the primary (sys/replication/dr/primary/secondary-token)');
  const claims = decodeActivationToken(token);
  if (!claims.ok) return fromCofferError(claims.error);
  const clusterId = sealedClusterId(c.svc.deps.sm) ?? '';
  if (claims.value.primaryClusterId === clusterId) return errorResponse(400, 'the activation token was issued by this cluster: a cluster cannot be its own DR secondary');
  const activated = await activate(c, token);
  if (!activated.ok) return activated.response;
  const r = await c.dr.primaryNode.propose({ kind: 'enable-secondary', clusterId, claims: activated.value.claims, credential: activated.value.credential, nowMs: c.nowMs });
  if (!r.ok) {
    return errorResponse(r.error.kind === 'invalid-request' || r.error.kind === 'conflict' ? 400 : 503, `the activation token was spent on the primary but this cluster did not become its secondary (${r.error.message}): revoke secondary "${claims.value.secondaryId}" on the primary and issue a new token`);
  }
  c.svc.deps.logger.warn('this cluster is now a DR secondary: its data will be replaced by the primary\'s', { primary: claims.value.primaryClusterId, secondaryId: claims.value.secondaryId });
  await c.dr.reconcile();
  return { status: 200, body: { data: c.dr.status() } };
}

async function activate(c: Call, token: string): Promise<{ ok: true; value: { claims: ActivationClaims; credential: string } } | { ok: false; response: HandleResponse }> {
  const tls = c.dr.deps.tls;
  const r = await activateWithToken(token, { nowMs: c.nowMs, random: c.dr.random, ...(tls === undefined ? {} : { tls }) });
  if (r.ok) return { ok: true, value: { claims: r.value.claims, credential: r.value.credential } };
  // The primary's refusals are the operator's to fix (400); not reaching it is 503 (retry).
  const status = r.error.kind === 'unavailable' || r.error.kind === 'timeout' ? 503 : 400;
  return { ok: false, response: errorResponse(status, `activation failed: ${r.error.message}`) };
}

/** The DR operation token (or DR batch token) presented in the body, as the apply checks it. */
function presentedAuth(c: Call): DrOperationAuth | undefined {
  const token = text(c.body, 'dr_operation_token');
  if (token === undefined || token === '') return undefined;
  const tokenHash = hashSecret(token);
  if (!token.startsWith('hvb.')) return { kind: 'operation-token', tokenHash };
  const stored = c.svc.deps.sm.get(DR_BATCH_TOKEN_PREFIX + tokenHash);
  let record: DrBatchTokenRecord | undefined;
  try {
    record = stored === undefined ? undefined : (JSON.parse(fromUtf8(stored.value)) as DrBatchTokenRecord);
  } catch {
    record = undefined;
  }
  return { kind: 'batch-token', tokenHash, record };
}

/** Checks the presented token before anything is spent; the apply checks it again (authoritative). */
async function guarded(c: Call, op: DrGuardedOperation, fn: (auth: DrOperationAuth) => Promise<HandleResponse>): Promise<HandleResponse> {
  const state = c.dr.state();
  if (state.mode !== 'secondary' && op !== 'update-primary') return errorResponse(400, `this cluster is not a DR secondary (mode ${state.mode}): ${op} applies to DR secondaries`);
  const auth = presentedAuth(c);
  const checked = checkDrOperationAuth(state, auth, op, c.nowMs);
  if (!checked.ok || auth === undefined) return errorResponse(auth === undefined ? 400 : 403, checked.ok ? `${op} needs a DR operation token` : checked.error.message);
  return fn(auth);
}

async function updatePrimary(c: Call): Promise<HandleResponse> {
  const state = c.dr.state();
  if (state.mode === 'disabled') return errorResponse(400, 'this cluster is not in DR replication: enable it as a secondary with sys/replication/dr/secondary/enable');
  if (state.mode === 'primary' && state.fence === undefined) return errorResponse(400, 'this cluster is an active DR primary: demote it first (sys/replication/dr/primary/demote)');
  const token = c.body['token'];
  if (typeof token !== 'string') return errorResponse(400, '"token" is required: an activation token from the new primary (its primary/secondary-token), or "" to follow no primary');
  const run = async (auth: DrOperationAuth): Promise<HandleResponse> => {
    if (token.trim() === '') return command(c, { kind: 'update-primary', auth, claims: undefined, credential: '', nowMs: c.nowMs });
    const activated = await activate(c, token.trim());
    if (!activated.ok) return activated.response;
    return command(c, { kind: 'update-primary', auth, claims: activated.value.claims, credential: activated.value.credential, nowMs: c.nowMs });
  };
  // A fenced primary still serves clients: a root token may vouch instead of a DR operation token.
  if (state.mode === 'primary' && text(c.body, 'dr_operation_token') === undefined && c.req.token !== '') {
    if (c.svc.deps.barrier.isSealed()) return SEALED();
    const denied = await c.svc.requireRoot(c.req);
    return denied ?? run({ kind: 'sudo' });
  }
  return guarded(c, 'update-primary', run);
}

async function attempt(c: Call): Promise<HandleResponse> {
  const gen = c.dr.tokens;
  if (c.req.operation === 'read') return { status: 200, body: gen.status() };
  if (c.req.operation === 'delete') {
    gen.cancel();
    return { status: 204 };
  }
  const state = c.dr.state();
  if (state.mode !== 'secondary') return errorResponse(400, `DR operation tokens are generated on a DR secondary; this cluster is ${state.mode === 'primary' ? 'a DR primary' : 'not in DR replication'}`);
  const threshold = await c.svc.deps.barrier.shareThreshold();
  if (!threshold.ok) return fromCofferError(threshold.error);
  const pgp = text(c.body, 'pgp_key');
  const started = gen.start({ required: threshold.value, ...(pgp === undefined ? {} : { pgpKey: pgp }) });
  return started.ok ? { status: 200, body: started.value } : fromCofferError(started.error);
}

async function attemptUpdate(c: Call): Promise<HandleResponse> {
  const key = text(c.body, 'key');
  const nonce = text(c.body, 'nonce');
  if (key === undefined || key === '' || nonce === undefined) return errorResponse(400, '"key" (one share of the primary\'s unseal or recovery key) and "nonce" (from the attempt) are required');
  const r = await c.dr.tokens.update({ key, nonce });
  if (!r.ok) return fromCofferError(r.error);
  if (!('tokenHash' in r.value)) return { status: 200, body: r.value };
  const stored = await c.dr.primaryNode.propose({ kind: 'add-operation-token', tokenHash: r.value.tokenHash });
  if (!stored.ok) return errorResponse(503, `the DR operation token was generated but not stored (${stored.error.message}): start a new attempt`);
  c.svc.deps.logger.info('a DR operation token was generated');
  return { status: 200, body: r.value.status };
}

async function deleteOperationToken(c: Call): Promise<HandleResponse> {
  return guarded(c, 'delete-operation-token', async (auth) => {
    if (auth.kind === 'sudo') return errorResponse(400, 'present the DR operation token to delete in "dr_operation_token"');
    const r = await c.dr.primaryNode.propose({ kind: 'delete-operation-token', auth, tokenHash: auth.tokenHash, nowMs: c.nowMs });
    return r.ok ? { status: 204 } : proposalFailure(r.error, 'operation-token/delete');
  });
}

/** Whether a request on `path` is served by a cluster in DR state `s` (a DR secondary serves almost nothing). */
export function drRefusal(s: DrState, path: string, operation: LogicalOperation): HandleResponse | undefined {
  if (s.mode === 'secondary') {
    // Monitoring and the secondary's own membership stay available; its data is the primary's.
    const isAllowed = path === 'sys/metrics' || (path.startsWith('sys/storage/raft/') && !path.startsWith('sys/storage/raft/snapshot'));
    return isAllowed ? undefined : errorResponse(400, 'path disabled in replication DR secondary mode');
  }
  const refusal = writeRefusal(s);
  if (refusal !== undefined && operation !== 'read' && operation !== 'list') return errorResponse(503, refusal);
  return undefined;
}
