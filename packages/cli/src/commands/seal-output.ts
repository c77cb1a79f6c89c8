/** `coffer status` / `operator unseal` output: vault's seal-status table, HA rows when known. */
import type { LeaderStatus, SealStatus } from '@coffer/client';
import { keyValueTable } from './format.js';

export function sealStatusTable(s: SealStatus, leader: LeaderStatus | undefined): string {
  const isRecovery = s.recovery_seal === true;
  const rows: [string, unknown][] = [
    [isRecovery ? 'Recovery Seal Type' : 'Seal Type', s.type],
    ['Initialized', s.initialized],
    ['Sealed', s.sealed],
    [isRecovery ? 'Total Recovery Shares' : 'Total Shares', s.n],
    ['Threshold', s.t],
  ];
  if (s.sealed) {
    rows.push(['Unseal Progress', `${s.progress}/${s.t}`]);
    rows.push(['Unseal Nonce', s.nonce === '' ? 'n/a' : s.nonce]);
  }
  if (s.last_unseal_error !== undefined) rows.push(['Last Unseal Error', s.last_unseal_error]);
  rows.push(['Version', s.version ?? 'n/a']);
  rows.push(['Storage Type', s.storage_type ?? 'raft']);
  if (s.cluster_name !== undefined) rows.push(['Cluster Name', s.cluster_name]);
  if (s.cluster_id !== undefined) rows.push(['Cluster ID', s.cluster_id]);
  if (leader !== undefined) {
    rows.push(['HA Enabled', leader.ha_enabled]);
    if (leader.ha_enabled && !s.sealed) {
      rows.push(['HA Cluster', leader.leader_cluster_address === '' ? 'n/a' : leader.leader_cluster_address]);
      rows.push(['HA Mode', leader.is_self ? 'active' : 'standby']);
      if (leader.is_self && leader.active_time !== undefined) rows.push(['Active Since', leader.active_time]);
      if (leader.raft_committed_index !== undefined) rows.push(['Raft Committed Index', leader.raft_committed_index]);
      if (leader.raft_applied_index !== undefined) rows.push(['Raft Applied Index', leader.raft_applied_index]);
    }
  }
  return keyValueTable(rows);
}
