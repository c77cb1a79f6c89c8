import { describe, expect, it } from 'vitest';
import type { DrState } from './dr-state.js';
import { INITIAL_DR_STATE } from './dr-state.js';
import type { DrStreamerStatus } from './streamer.js';
import { buildDrStatus, buildReplicationStatus, drStatusGauges } from './status.js';

const T0 = Date.UTC(2026, 10, 29, 23, 0, 0);
const primary: DrState = {
  mode: 'primary',
  clusterId: 'A',
  epoch: 2,
  lineage: [],
  secondaries: [
    { id: 'dr1', state: 'active', activationSecretHash: 'h', issuedAtMs: T0, tokenExpiresAtMs: T0, credentialHash: 'c', activatedAtMs: T0 },
    { id: 'dr2', state: 'token-issued', activationSecretHash: 'h2', issuedAtMs: T0, tokenExpiresAtMs: T0 },
    { id: 'gone', state: 'revoked', activationSecretHash: 'h3', issuedAtMs: T0, tokenExpiresAtMs: T0, revokedAtMs: T0 },
  ],
};

describe('sys/replication/dr/status', () => {
  it('disabled', () => {
    expect(buildDrStatus({ state: INITIAL_DR_STATE })).toEqual({ mode: 'disabled', epoch: 0 });
    expect(buildReplicationStatus({ state: INITIAL_DR_STATE })).toEqual({ dr: { mode: 'disabled', epoch: 0 }, performance: { mode: 'disabled' } });
  });

  it('primary: Vault field names, known secondaries without the revoked, connection per secondary', () => {
    const s = buildDrStatus({
      state: primary,
      lastIndex: 420,
      connections: [{ secondaryId: 'dr1', peer: 'ipv4:10.1.0.5:40000', connectedAtMs: T0, lastSentAtMs: T0 + 1000, lastSentIndex: 418 }],
    });
    expect(s).toEqual({
      mode: 'primary',
      cluster_id: 'A',
      state: 'running',
      epoch: 2,
      last_wal: 420,
      last_dr_wal: 420,
      known_secondaries: ['dr1', 'dr2'],
      secondaries: [
        { node_id: 'dr1', api_address: '', cluster_address: 'ipv4:10.1.0.5:40000', connection_status: 'connected', last_heartbeat: '2026-11-29T23:00:01.000Z', last_sent_index: 418, state: 'active' },
        { node_id: 'dr2', api_address: '', cluster_address: '', connection_status: 'disconnected', last_heartbeat: '', last_sent_index: 0, state: 'token-issued' },
      ],
    });
    expect(drStatusGauges(s)).toEqual({ dr_mode: 1, dr_epoch: 2, dr_last_wal: 420, dr_connected_secondaries: 1, dr_fenced: 0 });
  });

  it('a fenced primary says so and by whom', () => {
    const fenced: DrState = { ...primary, fence: { newerEpoch: 3, newerPrimaryClusterId: 'B', newerPrimaryAddresses: [], fencedAtMs: T0 } };
    expect(buildDrStatus({ state: fenced, lastIndex: 1 })).toMatchObject({ state: 'fenced', fenced_by: { cluster_id: 'B', epoch: 3 } });
  });

  it('secondary: from the streamer on the leader, from the record elsewhere', () => {
    const secondary: DrState = {
      mode: 'secondary',
      clusterId: 'B',
      epoch: 2,
      lineage: [],
      primary: { primaryClusterId: 'A', primaryAddresses: ['a1:8201', 'a2:8201'], secondaryId: 'dr1', credential: 'secret!' },
      streamState: 'snapshot-sync',
      operationTokenHashes: [],
    };
    const streamer: DrStreamerStatus = {
      state: 'stream-entries',
      connectionState: 'ready',
      primaryAddress: 'a2:8201',
      lastPrimaryIndex: 500,
      lastReceivedPrimaryIndex: 490,
      lastAppliedPrimaryIndex: 480,
      lagEntries: 20,
      lagMs: 1500,
      timeLag: { kind: 'exact', lagMs: 1500 },
      lastHeardAtMs: T0,
      lastError: undefined,
      reconnects: 1,
      snapshotsInstalled: 1,
    };
    const s = buildDrStatus({ state: secondary, streamer });
    expect(s).toEqual({
      mode: 'secondary',
      cluster_id: 'B',
      secondary_id: 'dr1',
      state: 'stream-entries',
      connection_state: 'ready',
      epoch: 2,
      last_remote_wal: 480,
      last_received_wal: 490,
      primary_last_wal: 500,
      lag_entries: 20,
      lag_ms: 1500,
      lag_ms_is_lower_bound: false,
      primary_cluster_addr: 'a2:8201',
      known_primary_cluster_addrs: ['a1:8201', 'a2:8201'],
      primaries: [{ cluster_address: 'a2:8201', connection_status: 'connected', last_heartbeat: '2026-11-29T23:00:00.000Z' }],
    });
    expect(JSON.stringify(s)).not.toContain('secret!');
    expect(drStatusGauges(s)).toMatchObject({ dr_mode: 2, dr_lag_entries: 20, dr_lag_ms: 1500, dr_connected: 1 });
    const follower = buildDrStatus({ state: secondary, lastAppliedPrimaryIndex: 470 });
    expect(follower).toMatchObject({ state: 'snapshot-sync', connection_state: 'idle', last_remote_wal: 470, lag_ms: null, primaries: [] });
  });
});
