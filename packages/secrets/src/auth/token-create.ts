/**
 * `auth/token/create` and `create-orphan`. Policy rules as Vault: a child's policies default to
 * its parent's and must be a subset of them unless the parent is root; `default` is added unless
 * `no_default_policy`; `no_parent` needs root or sudo on the path (`create-orphan` does not).
 * TTL: `period` if set, else `ttl`, else 768h (a root-policy token with neither never expires);
 * capped by `explicit_max_ttl`, by the system max, and, for a child, by its parent's expiry, so a
 * child never outlives its parent. The token id and accessor are drawn here, on the leader.
 */
import { badRequest, fromError, respond } from '../logical/response.js';
import { bodyObject, boolField, durationField, intField, isObject, unknownFieldsWarning } from '../logical/params.js';
import type { EngineContext, LogicalRequest, Outcome, RequestAuth } from '../logical/types.js';
import { DEFAULT_POLICY, ROOT_POLICY } from '../acl/builtin-policies.js';
import { SYSTEM_MAX_TTL_S, loadHasher, newAccessor, newTokenId } from './token-entry.js';
import type { RandomBytes, TokenEntry } from './token-entry.js';
import { insertToken } from './token-tree.js';
import { authResponse } from './token-response.js';

const KNOWN = ['policies', 'meta', 'ttl', 'explicit_max_ttl', 'renewable', 'no_parent', 'no_default_policy', 'type', 'num_uses', 'period', 'display_name', 'entity_alias', 'lease'];

export function policyList(raw: unknown): string[] | undefined {
  const items = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
  if (items === undefined || !items.every((p) => typeof p === 'string')) return undefined;
  return [...new Set((items as string[]).map((p) => p.trim().toLowerCase()).filter((p) => p !== ''))].sort();
}

export function createToken(req: LogicalRequest, ctx: EngineContext, auth: RequestAuth, random: RandomBytes, isOrphanPath: boolean): Outcome {
  const body = bodyObject(req.data);
  if (!body.ok) return respond(badRequest(body.error));
  const b = body.value;
  const parent = auth.entry;
  const parentIsRoot = parent.policies.includes(ROOT_POLICY);
  const flag = (name: string, dflt: boolean): boolean | string => {
    if (b[name] === undefined) return dflt;
    const f = boolField(name, b[name]);
    return f.ok ? f.value : f.error;
  };
  const noParent = flag('no_parent', false);
  const noDefault = flag('no_default_policy', false);
  const renewable = flag('renewable', true);
  for (const f of [noParent, noDefault, renewable]) if (typeof f === 'string') return respond(badRequest(f));
  const dur = (name: string): number | string => {
    if (b[name] === undefined || b[name] === '') return 0;
    const d = durationField(name, b[name]);
    return d.ok ? d.value : d.error;
  };
  const ttl = dur('ttl');
  const explicitMax = dur('explicit_max_ttl');
  const period = dur('period');
  for (const d of [ttl, explicitMax, period]) if (typeof d === 'string') return respond(badRequest(d));
  const numUses = b['num_uses'] === undefined ? { ok: true as const, value: 0 } : intField('num_uses', b['num_uses'], 0);
  if (!numUses.ok) return respond(badRequest(numUses.error));
  const type = b['type'] ?? 'service';
  if (type !== 'service' && type !== 'default') return respond(badRequest(type === 'batch' ? 'batch tokens are not supported' : `invalid 'type' value ${JSON.stringify(type)}`));
  const meta = b['meta'] ?? null;
  if (meta !== null && (!isObject(meta) || !Object.values(meta).every((v) => typeof v === 'string'))) return respond(badRequest('invalid value for field "meta": expected a map of strings'));
  const displayRaw = b['display_name'] ?? '';
  if (typeof displayRaw !== 'string') return respond(badRequest('invalid value for field "display_name": expected a string'));

  const orphan = isOrphanPath || noParent === true;
  if (noParent === true && !parentIsRoot && !auth.capabilities(req.path).has('sudo')) {
    return respond(badRequest('root or sudo privileges required to create orphan token'));
  }
  if (!orphan && auth.isLastUse) return respond(badRequest('cannot create a child of a token on its last use; the parent is revoked by this request'));
  const requested = b['policies'] === undefined ? [...parent.policies] : policyList(b['policies']);
  if (requested === undefined) return respond(badRequest('invalid value for field "policies": expected a list of strings'));
  let policies = requested.filter((p) => p !== DEFAULT_POLICY || noDefault !== true);
  if (policies.includes(ROOT_POLICY)) {
    if (!parentIsRoot) return respond(badRequest('root tokens may not be created from a non-root token'));
    policies = [ROOT_POLICY];
  } else {
    if (!parentIsRoot && !policies.every((p) => p === DEFAULT_POLICY || parent.policies.includes(p))) return respond(badRequest('child policies must be subset of parent'));
    if (noDefault !== true && !policies.includes(DEFAULT_POLICY)) policies = [...policies, DEFAULT_POLICY].sort();
  }

  const warnings = unknownFieldsWarning(b, KNOWN);
  const isRootToken = policies.includes(ROOT_POLICY);
  let ttlS = (period as number) > 0 ? (period as number) : (ttl as number) > 0 ? (ttl as number) : isRootToken && explicitMax === 0 ? 0 : SYSTEM_MAX_TTL_S;
  if ((explicitMax as number) > 0 && (ttlS === 0 || ttlS > (explicitMax as number))) ttlS = explicitMax as number;
  if (ttlS > SYSTEM_MAX_TTL_S && (period as number) === 0) {
    warnings.push(`TTL of "${ttlS}s" exceeded the effective max_ttl of "${SYSTEM_MAX_TTL_S}s"; TTL value is capped accordingly`);
    ttlS = SYSTEM_MAX_TTL_S;
  }
  let expireMs = ttlS === 0 ? 0 : ctx.nowMs + ttlS * 1000;
  if (!orphan && parent.expireMs !== 0 && (expireMs === 0 || expireMs > parent.expireMs)) {
    expireMs = parent.expireMs;
    ttlS = Math.max(0, Math.floor((expireMs - ctx.nowMs) / 1000));
  }

  const hasher = loadHasher(ctx.storage, random);
  if (!hasher.ok) return respond(fromError(hasher.error));
  if (hasher.value === undefined) return respond(fromError({ kind: 'internal', message: 'token store key missing' }));
  const id = newTokenId(random);
  const hash = hasher.value.token(id);
  const entry: TokenEntry = {
    accessor: newAccessor(random),
    policies,
    meta: meta as Record<string, string> | null,
    displayName: displayRaw === '' ? 'token' : `token-${displayRaw.replace(/[^a-zA-Z0-9._-]/g, '-')}`,
    parentHash: orphan ? '' : auth.tokenHash,
    creationMs: ctx.nowMs,
    creationTtlS: ttlS,
    expireMs,
    explicitMaxTtlS: explicitMax as number,
    periodS: period as number,
    renewable: renewable === true,
    numUses: numUses.value,
    path: isOrphanPath ? 'auth/token/create-orphan' : 'auth/token/create',
    lastRenewalMs: 0,
    childGeneration: 0,
  };
  const inserted = insertToken(ctx.storage, hasher.value, hash, entry, orphan ? undefined : parent);
  if (!inserted.ok) return respond(fromError(inserted.error));
  return { kind: 'commit', respond: () => authResponse(id, entry, ttlS, warnings) };
}
