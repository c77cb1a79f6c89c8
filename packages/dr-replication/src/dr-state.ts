/**
 * The DR replication record: what one cluster knows about its place in a DR topology. Pure data,
 * kept by the node in its replicated state machine (every node of the cluster holds the same
 * record, changed only by proposing a transition through raft), so any node can lead.
 *
 * The record is CLUSTER-LOCAL: it must never travel to a DR secondary in the entry stream or in a
 * snapshot (a secondary holds its own record), so the node stores it outside the key range that
 * DR replication copies and skips the commands that change it when applying streamed entries.
 *
 * Invariants (asserted by the transitions, tested in dr-state.test.ts):
 * - `epoch` never decreases. Enabling a primary and promoting a secondary each raise it by one,
 *   so two primaries of one lineage never share an epoch; the higher epoch is the newer primary.
 * - `lineage` is ordered by strictly increasing epoch; its last entry is the primary this
 *   cluster currently recognises (itself when it is an unfenced primary).
 * - A fenced primary refuses writes until update-primary turns it into a secondary of the newer
 *   primary (or demote/disable, by an operator's explicit choice).
 */

/** `disabled`: a standalone cluster (serves clients). */
export type DrMode = 'disabled' | 'primary' | 'secondary';

/** Vault's secondary states: streaming entries, installing a snapshot, or not connected. */
export type SecondaryStreamState = 'stream-entries' | 'snapshot-sync' | 'idle';

export interface LineageEntry {
  readonly epoch: number;
  readonly primaryClusterId: string;
  /** When this cluster learned of (or became) this primary, on its own clock. */
  readonly sinceMs: number;
}

/** A secondary as the primary knows it. `token-issued` -> `active` -> `revoked` (or issued -> revoked). */
export type KnownSecondaryState = 'token-issued' | 'active' | 'revoked';

export interface KnownSecondary {
  readonly id: string;
  readonly state: KnownSecondaryState;
  /** Hex SHA-256 of the activation token's one-time secret. */
  readonly activationSecretHash: string;
  readonly issuedAtMs: number;
  readonly tokenExpiresAtMs: number;
  /** Hex SHA-256 of the credential the secondary chose at activation (state `active`). */
  readonly credentialHash?: string;
  readonly activatedAtMs?: number;
  readonly revokedAtMs?: number;
}

/** The primary a secondary follows. */
export interface PrimaryLink {
  readonly primaryClusterId: string;
  /** DR (cluster) addresses of the primary's nodes, from the activation token. */
  readonly primaryAddresses: readonly string[];
  /** The id the primary knows this secondary by. */
  readonly secondaryId: string;
  /**
   * The secondary credential (a secret: the node keeps this record behind the barrier and never
   * logs it). Sent in metadata on every stream call; the primary stores only its hash.
   */
  readonly credential: string;
  /** The primary's CA certificate (PEM) from the token, for mutual TLS; absent = transport default. */
  readonly primaryCaPem?: string;
}

/** Set when a primary learns that a newer primary (higher epoch) exists. */
export interface Fence {
  readonly newerEpoch: number;
  readonly newerPrimaryClusterId: string;
  readonly newerPrimaryAddresses: readonly string[];
  readonly fencedAtMs: number;
}

interface Common {
  readonly epoch: number;
  readonly lineage: readonly LineageEntry[];
}

export interface DisabledState extends Common {
  readonly mode: 'disabled';
}

export interface PrimaryState extends Common {
  readonly mode: 'primary';
  /** This cluster's id (the id secondaries check). */
  readonly clusterId: string;
  readonly secondaries: readonly KnownSecondary[];
  readonly fence?: Fence;
  /**
   * Set by promote: the primary this cluster followed until then, with the credential it knows
   * this cluster by. The new primary's leader tells it (NotifyNewerPrimary) that it is superseded,
   * retrying until it answers (it may be down for hours), then forgets it.
   */
  readonly formerPrimary?: PrimaryLink;
}

export interface SecondaryState extends Common {
  readonly mode: 'secondary';
  readonly clusterId: string;
  /** Absent after demote, or after update-primary with an empty token: follows no one. */
  readonly primary?: PrimaryLink;
  readonly streamState: SecondaryStreamState;
  /** Hex SHA-256 of each live DR operation token (they have no TTL; deleted explicitly). */
  readonly operationTokenHashes: readonly string[];
  /**
   * After primary/demote: the secondaries that were active. A demoted cluster takes no writes,
   * but keeps streaming its (now frozen) log to them until it follows a primary itself, so a
   * planned failover (demote, then promote a secondary) loses nothing: the secondary catches up
   * to the last write first.
   */
  readonly drainingTo?: readonly KnownSecondary[];
}

export type DrState = DisabledState | PrimaryState | SecondaryState;

/** A cluster that has never taken part in DR replication. */
export const INITIAL_DR_STATE: DisabledState = { mode: 'disabled', epoch: 0, lineage: [] };

/** Whether the cluster may accept client writes: not a secondary and not a fenced primary. */
export function isWritable(s: DrState): boolean {
  if (s.mode === 'secondary') return false;
  return s.mode === 'disabled' || s.fence === undefined;
}

/** Whether the cluster serves client requests at all (a DR secondary serves none). */
export function servesClients(s: DrState): boolean {
  return s.mode !== 'secondary';
}

/** Why a write is refused, for the node's error (undefined when writable). Holds no secret. */
export function writeRefusal(s: DrState): string | undefined {
  if (s.mode === 'secondary') return 'path disabled in replication DR secondary mode';
  if (s.mode === 'primary' && s.fence !== undefined) {
    return (
      `this cluster was a DR primary at epoch ${s.epoch}, but cluster ${s.fence.newerPrimaryClusterId} ` +
      `is primary at epoch ${s.fence.newerEpoch}: writes are refused. Point this cluster at the new ` +
      `primary with sys/replication/dr/secondary/update-primary (a secondary-token from the new primary)`
    );
  }
  return undefined;
}

/** The primary this cluster currently recognises, if any. */
export function currentPrimary(s: DrState): LineageEntry | undefined {
  return s.lineage[s.lineage.length - 1];
}

/**
 * The primary view a DR call is checked against: an unfenced primary, or a demoted cluster still
 * draining its log to its former secondaries (`drainingTo`). Undefined when it serves no stream.
 */
export function servingPrimaryView(s: DrState): PrimaryState | undefined {
  if (s.mode === 'primary') return s.fence === undefined ? s : undefined;
  if (s.mode === 'secondary' && s.primary === undefined && s.drainingTo !== undefined && s.drainingTo.length > 0) {
    return { mode: 'primary', clusterId: s.clusterId, epoch: s.epoch, lineage: s.lineage, secondaries: s.drainingTo };
  }
  return undefined;
}
