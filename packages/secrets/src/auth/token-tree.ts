/**
 * Writes that keep the token store's indexes consistent: create (record + accessor index +
 * parent marker, and a bump of the parent's `childGeneration` so a racing revocation of the
 * parent conflicts instead of missing the new child), revoke a whole tree, revoke one token and
 * orphan its children. Every record read here is guarded, so each of these commits only against
 * the state it was decided on.
 */
import { cofferError, err, ok } from '@coffer/base';
import type { Result } from '@coffer/base';
import type { StorageView } from '../logical/types.js';
import { accessorPath, childrenPrefix, idPath, readToken, writeToken } from './token-entry.js';
import type { TokenEntry, TokenHasher } from './token-entry.js';

/** Bound on one revocation's size: a larger tree is a bug or an attack on the txn size. */
export const MAX_REVOKE_TOKENS = 10_000;

export function insertToken(view: StorageView, hasher: TokenHasher, hash: string, entry: TokenEntry, parent?: TokenEntry): Result<void> {
  const wrote = writeToken(view, hash, entry);
  if (!wrote.ok) return wrote;
  const indexed = view.putJson(accessorPath(hasher.accessor(entry.accessor)), { tokenHash: hash });
  if (!indexed.ok) return indexed;
  if (entry.parentHash === '') return ok(undefined);
  if (parent === undefined) return err(cofferError('internal', 'a child token needs its parent'));
  const marked = view.putJson(`${childrenPrefix(entry.parentHash)}${hash}`, {});
  if (!marked.ok) return marked;
  return writeToken(view, entry.parentHash, { ...parent, childGeneration: parent.childGeneration + 1 });
}

/** Revokes `hash` and all its descendants; returns how many tokens were revoked. */
export function revokeTree(view: StorageView, hasher: TokenHasher, hash: string): Result<number> {
  const queue = [hash];
  let revoked = 0;
  for (let i = 0; i < queue.length; i++) {
    if (queue.length > MAX_REVOKE_TOKENS) return err(cofferError('internal', 'token tree too large to revoke in one request'));
    const h = queue[i] ?? '';
    const entry = readToken(view, h);
    if (!entry.ok) return entry;
    if (entry.value === undefined) continue;
    removeRecord(view, hasher, h, entry.value);
    for (const child of view.listChildren(childrenPrefix(h))) queue.push(child);
    view.delPrefix(childrenPrefix(h));
    revoked++;
  }
  return ok(revoked);
}

/** Revokes only `hash`; its children become orphans (`revoke-orphan`). */
export function revokeOrphaning(view: StorageView, hasher: TokenHasher, hash: string, entry: TokenEntry): Result<void> {
  removeRecord(view, hasher, hash, entry);
  const children = view.listChildren(childrenPrefix(hash));
  if (children.length > MAX_REVOKE_TOKENS) return err(cofferError('internal', 'too many children to orphan in one request'));
  for (const child of children) {
    const c = readToken(view, child);
    if (!c.ok) return c;
    if (c.value === undefined) continue;
    const wrote = writeToken(view, child, { ...c.value, parentHash: '' });
    if (!wrote.ok) return wrote;
  }
  view.delPrefix(childrenPrefix(hash));
  return ok(undefined);
}

function removeRecord(view: StorageView, hasher: TokenHasher, hash: string, entry: TokenEntry): void {
  view.del(idPath(hash));
  view.del(accessorPath(hasher.accessor(entry.accessor)));
  if (entry.parentHash !== '') view.del(`${childrenPrefix(entry.parentHash)}${hash}`);
}

/** The token hash an accessor points at (guarded read). */
export function tokenHashByAccessor(view: StorageView, hasher: TokenHasher, accessor: string): Result<string | undefined> {
  const raw = view.getJson(accessorPath(hasher.accessor(accessor)));
  if (!raw.ok || raw.value === undefined) return raw as Result<undefined>;
  const hash = (raw.value as { tokenHash?: unknown }).tokenHash;
  return typeof hash === 'string' ? ok(hash) : err(cofferError('internal', 'corrupt accessor index'));
}
