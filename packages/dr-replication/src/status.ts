/**
 * The body of GET sys/replication/dr/status (and the `dr` half of sys/replication/status), in
 * Vault's field names where Vault has one. Pure: the node passes its DR record, its committed
 * index, the primary server's connections and/or the streamer's status.
 *
 * Vault's meaning is kept for `last_remote_wal` (the last primary index this secondary has
 * applied), so "lag = primary last_wal - secondary last_remote_wal" holds as in Vault's docs; the
 * secondary also reports what it last heard of the primary (`primary_last_wal`) and its lag.
 */
import type { DrState, KnownSecondary } from './dr-state.js';
import type { SecondaryConnection } from './primary-server.js';
import type { DrConnectionState, DrStreamerStatus } from './streamer.js';

export interface DrSecondaryEntry {
  readonly node_id: string;
  readonly api_address: string;
  readonly cluster_address: string;
  readonly connection_status: 'connected' | 'disconnected';
  readonly last_heartbeat: string;
  readonly last_sent_index: number;
  readonly state: KnownSecondary['state'];
}

export interface DrPrimaryStatus {
  readonly mode: 'primary';
  readonly cluster_id: string;
  /** `running`, or `fenced` when a newer primary exists (writes refused). */
  readonly state: 'running' | 'fenced';
  readonly epoch: number;
  readonly last_wal: number;
  readonly last_dr_wal: number;
  readonly known_secondaries: readonly string[];
  readonly secondaries: readonly DrSecondaryEntry[];
  readonly fenced_by?: { readonly cluster_id: string; readonly epoch: number };
}

export interface DrSecondaryStatus {
  readonly mode: 'secondary';
  readonly cluster_id: string;
  readonly secondary_id: string;
  readonly state: 'stream-entries' | 'snapshot-sync' | 'idle';
  readonly connection_state: DrConnectionState;
  readonly epoch: number;
  /** The last primary index applied on this secondary. */
  readonly last_remote_wal: number;
  /** The last primary index received here: applied, or queued for this cluster's next raft round. */
  readonly last_received_wal: number;
  /** The primary's last committed index, as last heard. */
  readonly primary_last_wal: number;
  readonly lag_entries: number;
  /** null when unknown; a lower bound when lag_ms_is_lower_bound. */
  readonly lag_ms: number | null;
  readonly lag_ms_is_lower_bound: boolean;
  readonly primary_cluster_addr: string;
  readonly known_primary_cluster_addrs: readonly string[];
  readonly primaries: readonly { readonly cluster_address: string; readonly connection_status: 'connected' | 'disconnected'; readonly last_heartbeat: string }[];
  readonly last_error?: string;
}

export type DrStatus = { readonly mode: 'disabled'; readonly epoch: number } | DrPrimaryStatus | DrSecondaryStatus;

export interface DrStatusInput {
  readonly state: DrState;
  /** Primary: this cluster's last committed index. */
  readonly lastIndex?: number;
  /** Primary: the DR server's live streams (only the leader has any). */
  readonly connections?: readonly SecondaryConnection[];
  /** Secondary: the streamer's status (only on the secondary's leader; undefined elsewhere). */
  readonly streamer?: DrStreamerStatus;
  /** Secondary without a streamer: the last applied primary index from the state machine. */
  readonly lastAppliedPrimaryIndex?: number;
}

const iso = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toISOString());

export function buildDrStatus(input: DrStatusInput): DrStatus {
  const s = input.state;
  switch (s.mode) {
    case 'disabled':
      return { mode: 'disabled', epoch: s.epoch };
    case 'primary': {
      const conns = input.connections ?? [];
      const lastIndex = input.lastIndex ?? 0;
      const secondaries = s.secondaries
        .filter((x) => x.state !== 'revoked')
        .map((x): DrSecondaryEntry => {
          const c = conns.filter((k) => k.secondaryId === x.id).sort((a, b) => b.lastSentAtMs - a.lastSentAtMs)[0];
          return {
            node_id: x.id,
            api_address: '',
            cluster_address: c?.peer ?? '',
            connection_status: c === undefined ? 'disconnected' : 'connected',
            last_heartbeat: iso(c?.lastSentAtMs),
            last_sent_index: c?.lastSentIndex ?? 0,
            state: x.state,
          };
        });
      return {
        mode: 'primary',
        cluster_id: s.clusterId,
        state: s.fence === undefined ? 'running' : 'fenced',
        epoch: s.epoch,
        last_wal: lastIndex,
        last_dr_wal: lastIndex,
        known_secondaries: secondaries.map((x) => x.node_id),
        secondaries,
        ...(s.fence === undefined ? {} : { fenced_by: { cluster_id: s.fence.newerPrimaryClusterId, epoch: s.fence.newerEpoch } }),
      };
    }
    case 'secondary': {
      const st = input.streamer;
      const addrs = s.primary?.primaryAddresses ?? [];
      const applied = st?.lastAppliedPrimaryIndex ?? input.lastAppliedPrimaryIndex ?? 0;
      const isConnected = st?.connectionState === 'ready';
      return {
        mode: 'secondary',
        cluster_id: s.clusterId,
        secondary_id: s.primary?.secondaryId ?? '',
        state: st?.state ?? (s.primary === undefined ? 'idle' : s.streamState),
        connection_state: st?.connectionState ?? 'idle',
        epoch: s.epoch,
        last_remote_wal: applied,
        last_received_wal: Math.max(st?.lastReceivedPrimaryIndex ?? 0, applied),
        primary_last_wal: Math.max(st?.lastPrimaryIndex ?? 0, applied),
        lag_entries: st?.lagEntries ?? 0,
        lag_ms: st?.lagMs ?? null,
        lag_ms_is_lower_bound: st?.timeLag.kind === 'at-least',
        primary_cluster_addr: st?.primaryAddress ?? addrs[0] ?? '',
        known_primary_cluster_addrs: addrs,
        primaries:
          st?.primaryAddress === undefined
            ? []
            : [{ cluster_address: st.primaryAddress, connection_status: isConnected ? 'connected' : 'disconnected', last_heartbeat: iso(st.lastHeardAtMs) }],
        ...(st?.lastError === undefined ? {} : { last_error: st.lastError }),
      };
    }
  }
}

/** GET sys/replication/status: `{ dr, performance }`; performance replication does not exist here. */
export function buildReplicationStatus(input: DrStatusInput): { readonly dr: DrStatus; readonly performance: { readonly mode: 'disabled' } } {
  return { dr: buildDrStatus(input), performance: { mode: 'disabled' } };
}

/** The numbers the node exports as metrics (gauges), named after the status fields. */
export function drStatusGauges(status: DrStatus): Readonly<Record<string, number>> {
  switch (status.mode) {
    case 'disabled':
      return { dr_mode: 0, dr_epoch: status.epoch };
    case 'primary':
      return { dr_mode: 1, dr_epoch: status.epoch, dr_last_wal: status.last_wal, dr_connected_secondaries: status.secondaries.filter((x) => x.connection_status === 'connected').length, dr_fenced: status.state === 'fenced' ? 1 : 0 };
    case 'secondary':
      return {
        dr_mode: 2,
        dr_epoch: status.epoch,
        dr_last_remote_wal: status.last_remote_wal,
        dr_primary_last_wal: status.primary_last_wal,
        dr_lag_entries: status.lag_entries,
        ...(status.lag_ms === null ? {} : { dr_lag_ms: status.lag_ms }),
        dr_connected: status.connection_state === 'ready' ? 1 : 0,
      };
  }
}
