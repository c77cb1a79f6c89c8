/**
 * Token lookups, renewals and revocations. An expired token counts as gone everywhere (the
 * sweeper removes it later, as a normal txn). Renewal sets the expiry to now + increment (or the
 * original TTL, or the period), capped by explicit_max_ttl and the system max counted from
 * creation, and by the parent's expiry; a capped renewal says so in Vault's warning.
 */
import { badRequest, errorResponse, fromError, noContent, respond } from '../logical/response.js';
import { bodyObject, durationField } from '../logical/params.js';
import type { EngineContext, LogicalRequest, Outcome, RequestAuth } from '../logical/types.js';
import { SYSTEM_MAX_TTL_S, isExpired, loadHasher, readToken, writeToken } from './token-entry.js';
import type { TokenEntry, TokenHasher } from './token-entry.js';
import { revokeOrphaning, revokeTree, tokenHashByAccessor } from './token-tree.js';
import { authResponse, lookupResponse } from './token-response.js';

type Target = { hash: string; entry: TokenEntry; id: string } | { stop: Outcome };

const stop = (status: number, message: string): { stop: Outcome } => ({ stop: respond(errorResponse(status, message)) });

function hasherOf(ctx: EngineContext): TokenHasher | { stop: Outcome } {
  const h = loadHasher(ctx.storage);
  if (!h.ok) return { stop: respond(fromError(h.error)) };
  return h.value ?? stop(500, 'token store key missing');
}

function stringField(req: LogicalRequest, name: string): string | { stop: Outcome } {
  const body = bodyObject(req.data);
  if (!body.ok) return { stop: respond(badRequest(body.error)) };
  const v = body.value[name];
  if (typeof v !== 'string' || v === '') return { stop: respond(badRequest(`missing required field "${name}"`)) };
  return v;
}

/**
 * The token named by `token` in the body (or the caller for `-self`). An unknown or expired one
 * is 403 `bad token` for lookups and renewals, and a no-op 204 for revocations (as Vault).
 */
export function targetByToken(req: LogicalRequest, ctx: EngineContext, auth: RequestAuth, isSelf: boolean, isRevoke = false): Target {
  if (isSelf) return { hash: auth.tokenHash, entry: auth.entry, id: req.token ?? '' };
  const id = stringField(req, 'token');
  if (typeof id !== 'string') return id;
  const hasher = hasherOf(ctx);
  if ('stop' in hasher) return hasher;
  const hash = hasher.token(id);
  const entry = readToken(ctx.storage, hash);
  if (!entry.ok) return { stop: respond(fromError(entry.error)) };
  if (entry.value === undefined || isExpired(entry.value, ctx.nowMs)) return isRevoke ? { stop: respond(noContent()) } : stop(403, 'bad token');
  return { hash, entry: entry.value, id };
}

export function targetByAccessor(req: LogicalRequest, ctx: EngineContext): Target {
  const accessor = stringField(req, 'accessor');
  if (typeof accessor !== 'string') return accessor;
  const hasher = hasherOf(ctx);
  if ('stop' in hasher) return hasher;
  const hash = tokenHashByAccessor(ctx.storage, hasher, accessor);
  if (!hash.ok) return { stop: respond(fromError(hash.error)) };
  if (hash.value === undefined) return stop(400, 'invalid accessor');
  const entry = readToken(ctx.storage, hash.value);
  if (!entry.ok) return { stop: respond(fromError(entry.error)) };
  if (entry.value === undefined || isExpired(entry.value, ctx.nowMs)) return stop(400, 'invalid accessor');
  return { hash: hash.value, entry: entry.value, id: '' };
}

export function lookup(target: Target, ctx: EngineContext): Outcome {
  if ('stop' in target) return target.stop;
  return respond(lookupResponse(target.id, target.entry, ctx.nowMs));
}

export function revoke(target: Target, ctx: EngineContext, mode: 'tree' | 'orphan'): Outcome {
  if ('stop' in target) return target.stop;
  const hasher = hasherOf(ctx);
  if ('stop' in hasher) return hasher.stop;
  const done = mode === 'tree' ? revokeTree(ctx.storage, hasher, target.hash) : revokeOrphaning(ctx.storage, hasher, target.hash, target.entry);
  if (!done.ok) return respond(fromError(done.error));
  return { kind: 'commit', respond: () => noContent() };
}

export function renew(req: LogicalRequest, target: Target, ctx: EngineContext): Outcome {
  if ('stop' in target) return target.stop;
  const { entry, hash } = target;
  const body = bodyObject(req.data);
  if (!body.ok) return respond(badRequest(body.error));
  const inc = body.value['increment'] === undefined ? { ok: true as const, value: 0 } : durationField('increment', body.value['increment']);
  if (!inc.ok) return respond(badRequest(inc.error));
  if (!entry.renewable) return respond(badRequest('lease is not renewable'));
  if (entry.expireMs === 0) return respond(authResponse(target.id, entry, 0));
  const ttlS = entry.periodS > 0 ? entry.periodS : inc.value > 0 ? inc.value : entry.creationTtlS;
  const caps: Array<{ atMs: number; maxS: number }> = [];
  if (entry.periodS === 0) caps.push({ atMs: entry.creationMs + SYSTEM_MAX_TTL_S * 1000, maxS: SYSTEM_MAX_TTL_S });
  if (entry.explicitMaxTtlS > 0) caps.push({ atMs: entry.creationMs + entry.explicitMaxTtlS * 1000, maxS: entry.explicitMaxTtlS });
  if (entry.parentHash !== '') {
    const parent = readToken(ctx.storage, entry.parentHash);
    if (!parent.ok) return respond(fromError(parent.error));
    if (parent.value !== undefined && parent.value.expireMs !== 0) caps.push({ atMs: parent.value.expireMs, maxS: Math.floor((parent.value.expireMs - entry.creationMs) / 1000) });
  }
  let expireMs = ctx.nowMs + ttlS * 1000;
  const warnings: string[] = [];
  for (const cap of caps) {
    if (cap.atMs < expireMs) {
      expireMs = cap.atMs;
      warnings.splice(0, warnings.length, `TTL of "${ttlS}s" exceeded the effective max_ttl of "${Math.max(0, Math.floor((cap.atMs - ctx.nowMs) / 1000))}s"; TTL value is capped accordingly`);
    }
  }
  const renewed: TokenEntry = { ...entry, expireMs, lastRenewalMs: ctx.nowMs };
  const wrote = writeToken(ctx.storage, hash, renewed);
  if (!wrote.ok) return respond(fromError(wrote.error));
  const leaseS = Math.max(0, Math.floor((expireMs - ctx.nowMs) / 1000));
  return { kind: 'commit', respond: () => authResponse(target.id, renewed, leaseS, warnings) };
}
