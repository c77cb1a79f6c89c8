import { describe, expect, it } from 'vitest';
import { INITIAL_DR_STATE, type DrState } from '@coffer/dr-replication';
import { drRefusal } from './sys-dr.js';

const secondary: DrState = { mode: 'secondary', clusterId: 'B', epoch: 1, lineage: [], streamState: 'idle', operationTokenHashes: [] };
const fenced: DrState = {
  mode: 'primary', clusterId: 'A', epoch: 1, lineage: [], secondaries: [],
  fence: { newerEpoch: 2, newerPrimaryClusterId: 'B', newerPrimaryAddresses: [], fencedAtMs: 0 },
};

describe('drRefusal: what a cluster serves in each DR mode', () => {
  it('a DR secondary serves no client path, reads included, but keeps metrics and its own membership', () => {
    for (const [path, op] of [['secret/data/a', 'read'], ['secret/data/a', 'update'], ['auth/token/lookup-self', 'read'], ['sys/policy/p', 'update'], ['sys/rotate', 'update'], ['sys/storage/raft/snapshot', 'update']] as const) {
      expect(drRefusal(secondary, path, op)).toEqual({ status: 400, body: { errors: ['path disabled in replication DR secondary mode'] } });
    }
    expect(drRefusal(secondary, 'sys/metrics', 'read')).toBeUndefined();
    expect(drRefusal(secondary, 'sys/storage/raft/configuration', 'read')).toBeUndefined();
  });

  it('a fenced primary answers reads and refuses every write with 503 naming the newer primary', () => {
    expect(drRefusal(fenced, 'secret/data/a', 'read')).toBeUndefined();
    expect(drRefusal(fenced, 'secret/metadata/', 'list')).toBeUndefined();
    for (const op of ['create', 'update', 'patch', 'delete'] as const) {
      const r = drRefusal(fenced, 'secret/data/a', op);
      expect(r?.status).toBe(503);
      expect(JSON.stringify(r?.body)).toMatch(/cluster B is primary at epoch 2.*update-primary/);
    }
  });

  it('a standalone cluster and an active primary serve everything', () => {
    const primary: DrState = { mode: 'primary', clusterId: 'A', epoch: 1, lineage: [], secondaries: [] };
    for (const s of [INITIAL_DR_STATE, primary]) expect(drRefusal(s, 'secret/data/a', 'update')).toBeUndefined();
  });
});
