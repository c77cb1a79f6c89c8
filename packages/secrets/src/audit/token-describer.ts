/**
 * Fills an audit line's `auth` block (accessor, policies, display name, metadata) from the token
 * store, as Vault's audit entries carry them. Read-only and unguarded: it decides nothing, and an
 * unknown, expired or unreadable token simply yields no description (the line still carries the
 * hashed client token; the executor itself refuses the request).
 */
import { ScopedView } from '../logical/storage-view.js';
import type { Crypter, StorageReader } from '../logical/types.js';
import { loadHasher, readToken } from '../auth/token-entry.js';
import type { AuditAuth } from './entry.js';

export function tokenDescriber(reader: StorageReader, crypter: Crypter): (token: string) => AuditAuth | undefined {
  return (token) => {
    if (token === '') return undefined;
    const core = new ScopedView(reader, crypter, '');
    const hasher = loadHasher(core);
    if (!hasher.ok || hasher.value === undefined) return undefined;
    const entry = readToken(core, hasher.value.token(token));
    if (!entry.ok || entry.value === undefined) return undefined;
    const e = entry.value;
    return {
      accessor: e.accessor,
      display_name: e.displayName,
      policies: e.policies,
      token_policies: e.policies,
      ...(e.meta !== null ? { metadata: e.meta } : {}),
      token_type: 'service',
    };
  };
}
