/** Vault's token response shapes: the `auth` block (create, renew) and lookup's `data`. */
import type { LogicalResponse } from '../logical/types.js';
import { rfc3339 } from '../logical/time.js';
import type { Envelope } from '../logical/response.js';
import { envelope } from '../logical/response.js';
import { remainingTtlS } from './token-entry.js';
import type { TokenEntry } from './token-entry.js';

export function authResponse(clientToken: string, entry: TokenEntry, leaseDurationS: number, warnings: readonly string[] = []): LogicalResponse {
  const res = envelope(null, { warnings });
  const body: Envelope = {
    ...(res.body as Envelope),
    auth: {
      client_token: clientToken,
      accessor: entry.accessor,
      policies: [...entry.policies],
      token_policies: [...entry.policies],
      metadata: entry.meta === null ? null : { ...entry.meta },
      lease_duration: leaseDurationS,
      renewable: entry.renewable,
      entity_id: '',
      token_type: 'service',
      orphan: entry.parentHash === '',
      mfa_requirement: null,
      num_uses: entry.numUses,
    },
  };
  return { status: 200, body };
}

/** `lookup*` data; `id` is '' for lookup-accessor (the accessor never reveals the token). */
export function lookupResponse(id: string, entry: TokenEntry, nowMs: number): LogicalResponse {
  return envelope({
    accessor: entry.accessor,
    creation_time: Math.floor(entry.creationMs / 1000),
    creation_ttl: entry.creationTtlS,
    display_name: entry.displayName,
    entity_id: '',
    expire_time: entry.expireMs === 0 ? null : rfc3339(entry.expireMs),
    explicit_max_ttl: entry.explicitMaxTtlS,
    id,
    issue_time: rfc3339(entry.creationMs),
    ...(entry.lastRenewalMs !== 0 ? { last_renewal: rfc3339(entry.lastRenewalMs), last_renewal_time: Math.floor(entry.lastRenewalMs / 1000) } : {}),
    meta: entry.meta === null ? null : { ...entry.meta },
    num_uses: entry.numUses,
    orphan: entry.parentHash === '',
    path: entry.path,
    period: entry.periodS === 0 ? undefined : entry.periodS,
    policies: [...entry.policies],
    renewable: entry.renewable,
    ttl: remainingTtlS(entry, nowMs),
    type: 'service',
  });
}
