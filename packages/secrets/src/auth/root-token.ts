/**
 * Leader-side token maintenance, run through `Executor.runInternal` (same guarded txn path as a
 * request, no token needed): issuing the root token after `sys/init`, and sweeping expired tokens.
 * Expiry itself needs no sweep to take effect (an expired token is refused at once against the
 * request's leader time); the sweep only removes the records, as an ordinary proposed txn, so no
 * node ever decides an expiry by its own clock at apply time.
 */
import { cofferError, err, ok } from '@coffer/base';
import type { Result } from '@coffer/base';
import { envelope, fromError, respond } from '../logical/response.js';
import type { EngineContext, Outcome } from '../logical/types.js';
import type { Executor } from '../logical/executor.js';
import { ROOT_POLICY } from '../acl/builtin-policies.js';
import { ID_PREFIX, isExpired, loadHasher, newAccessor, newTokenId, readToken } from './token-entry.js';
import type { RandomBytes, TokenEntry } from './token-entry.js';
import { insertToken, revokeTree } from './token-tree.js';

/** At most this many expired tokens (roots of revocation) per sweep txn; call again for more. */
export const MAX_SWEEP_TOKENS = 500;

/** Queues a new root token into `ctx.storage` and returns its id (creating the store key if absent). */
export function queueRootToken(ctx: Pick<EngineContext, 'storage' | 'nowMs'>, random: RandomBytes): Result<string> {
  const hasher = loadHasher(ctx.storage, random);
  if (!hasher.ok) return hasher;
  if (hasher.value === undefined) return err(cofferError('internal', 'token store key missing'));
  const id = newTokenId(random);
  const entry: TokenEntry = {
    accessor: newAccessor(random), policies: [ROOT_POLICY], meta: null, displayName: 'root', parentHash: '', creationMs: ctx.nowMs,
    creationTtlS: 0, expireMs: 0, explicitMaxTtlS: 0, periodS: 0, renewable: false, numUses: 0, path: 'auth/token/root', lastRenewalMs: 0, childGeneration: 0,
  };
  const inserted = insertToken(ctx.storage, hasher.value, hasher.value.token(id), entry);
  return inserted.ok ? ok(id) : inserted;
}

/** Creates a root token (policies ['root'], no TTL) through a normal txn; the node calls it once after sys/init. */
export async function issueRootToken(executor: Executor): Promise<Result<string>> {
  let issued = '';
  const res = await executor.runInternal((ctx): Outcome => {
    const id = queueRootToken(ctx, ctx.random);
    if (!id.ok) return respond(fromError(id.error));
    issued = id.value;
    return { kind: 'commit', respond: () => ({ status: 204 }) };
  });
  if (res.status !== 204) return err(cofferError(res.status === 503 ? 'unavailable' : 'internal', `root token not issued: ${errorText(res.body)}`));
  return ok(issued);
}

/**
 * Proposes the revocation (with their children) of tokens expired at the leader's current time.
 * Returns how many expired tokens were found and revoked in this txn.
 */
export async function sweepExpiredTokens(executor: Executor): Promise<Result<{ readonly revoked: number }>> {
  let revoked = 0;
  const res = await executor.runInternal((ctx): Outcome => {
    revoked = 0;
    const hasher = loadHasher(ctx.storage);
    if (!hasher.ok) return respond(fromError(hasher.error));
    if (hasher.value === undefined) return respond(envelope(null));
    for (const hash of ctx.storage.listChildren(ID_PREFIX)) {
      if (revoked >= MAX_SWEEP_TOKENS) break;
      const entry = readToken(ctx.storage, hash);
      if (!entry.ok) return respond(fromError(entry.error));
      if (entry.value === undefined || !isExpired(entry.value, ctx.nowMs)) continue;
      const done = revokeTree(ctx.storage, hasher.value, hash);
      if (!done.ok) return respond(fromError(done.error));
      revoked++;
    }
    return { kind: 'commit', respond: () => envelope(null) };
  });
  if (res.status >= 400) return err(cofferError(res.status === 503 ? 'unavailable' : 'internal', `token sweep failed: ${errorText(res.body)}`));
  return ok({ revoked });
}

function errorText(body: unknown): string {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? errors.join('; ') : 'unknown error';
}
