/**
 * The executor's gate: resolve `req.token` to a live token, check the ACL of its policies for the
 * capability the request needs, and count a use. All reads go through the attempt's core view,
 * so they are guarded: if the token is revoked, renewed or used up, or a policy changes, while
 * the request is in flight, its txn conflicts and the request is decided again.
 *
 * Refusals are Vault's: a missing, unknown or expired token is 403 `permission denied`; an ACL
 * refusal is 403 with Vault's multierror text. A denied request does not consume a use.
 */
import { ok } from '@coffer/base';
import type { Result } from '@coffer/base';
import type { Capability, Engine, EngineContext, LogicalRequest, LogicalResponse, RequestAuth, StorageView } from '../logical/types.js';
import { errorResponse, fromError } from '../logical/response.js';
import { aclFor } from '../acl/policy-store.js';
import { isSudoPath } from '../acl/builtin-policies.js';
import { isExpired, loadHasher, readToken, writeToken } from './token-entry.js';
import { revokeTree } from './token-tree.js';

export const PERMISSION_DENIED = 'permission denied';
/** Vault wraps ACL refusals in a go-multierror. */
export const ACL_DENIED = '1 error occurred:\n\t* permission denied\n\n';

/** Handled by the node before the executor in practice; allowed through here too. */
export const DEFAULT_UNAUTHENTICATED_PATHS: ReadonlySet<string> = new Set(['sys/init', 'sys/seal-status', 'sys/unseal', 'sys/health', 'sys/leader']);

export type Gate = { readonly ok: true; readonly auth: RequestAuth } | { readonly ok: false; readonly response: LogicalResponse };

const denied = (message = PERMISSION_DENIED): Gate => ({ ok: false, response: errorResponse(403, message) });

/** The capability a request needs; writes ask the engine whether the target exists. */
export function requiredCapability(req: LogicalRequest, engine: Engine, ctx: EngineContext): Capability {
  switch (req.operation) {
    case 'create':
    case 'update':
      return engine.existenceCheck?.(req, ctx) === false ? 'create' : 'update';
    default:
      return req.operation;
  }
}

export function authorize(req: LogicalRequest, core: StorageView, nowMs: number, needed: () => Capability): Gate {
  const token = req.token;
  if (token === undefined || token === '') return denied();
  const hasher = loadHasher(core);
  if (!hasher.ok) return { ok: false, response: fromError(hasher.error) };
  if (hasher.value === undefined) return denied();
  const hash = hasher.value.token(token);
  const found = readToken(core, hash);
  if (!found.ok) return { ok: false, response: fromError(found.error) };
  const entry = found.value;
  if (entry === undefined || isExpired(entry, nowMs)) return denied();
  const acl = aclFor(core, entry.policies);
  if (!acl.ok) return { ok: false, response: fromError(acl.error) };
  const cap = needed();
  if (!acl.value.allows(req.path, cap)) return denied(ACL_DENIED);
  if (isSudoPath(req.path) && !acl.value.allows(req.path, 'sudo')) return denied(ACL_DENIED);
  const used = countUse(core, hasher.value, hash, entry);
  if (!used.ok) return { ok: false, response: fromError(used.error) };
  const capabilities = (path: string): ReadonlySet<Capability> => acl.value.capabilities(path);
  return { ok: true, auth: { tokenHash: hash, entry: used.value.entry, isLastUse: used.value.isLastUse, capabilities } };
}

/** A limited-use token is rewritten with one use fewer, or revoked (with its children) on its last. */
function countUse(core: StorageView, hasher: Parameters<typeof revokeTree>[1], hash: string, entry: RequestAuth['entry']): Result<{ entry: RequestAuth['entry']; isLastUse: boolean }> {
  if (entry.numUses === 0) return ok({ entry, isLastUse: false });
  const left = entry.numUses - 1;
  const next = { ...entry, numUses: left };
  if (left > 0) {
    const wrote = writeToken(core, hash, next);
    return wrote.ok ? ok({ entry: next, isLastUse: false }) : wrote;
  }
  const revoked = revokeTree(core, hasher, hash);
  return revoked.ok ? ok({ entry: next, isLastUse: true }) : revoked;
}
