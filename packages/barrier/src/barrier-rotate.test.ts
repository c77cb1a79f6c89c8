import { describe, expect, it } from 'vitest';
import type { Result } from '@coffer/base';
import { Barrier } from './barrier.js';
import { MemoryCoreStore } from './core-store.js';
import { DEFAULT_MAX_ENCRYPTIONS } from './keyring.js';
import { checkKeyringWrite, keyringBlobTerm } from './keyring-blob.js';
import { KEYRING_PATH } from './layout.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

/** Three nodes over one store: the store stands for the replicated state every node applies. */
async function cluster() {
  const store = new MemoryCoreStore();
  const nodes = [0, 1, 2].map(() => new Barrier({ store }));
  const [leader] = nodes;
  if (!leader) throw new Error('no leader');
  const init = value(await leader.init({ secretShares: 3, secretThreshold: 2 }, { nowMs: 100 }));
  store.apply(init.writes);
  const unseal = async (b: Barrier) => {
    for (const k of init.keys.slice(0, 2)) value(await b.submitUnsealShare(k));
  };
  /** What the node runtime does when a core/keyring entry commits: store it, then tell each unsealed barrier. */
  const applyKeyring = (value: Uint8Array) => {
    store.apply([{ path: KEYRING_PATH, value }]);
    return nodes.map((n) => n.applyKeyring(value));
  };
  return { store, nodes, leader, init, unseal, applyKeyring };
}

describe('Barrier: rotation', () => {
  it('leader draws term 2, every node installs the same term on apply, old records keep decrypting', async () => {
    const { nodes, leader, unseal, applyKeyring, store, init } = await cluster();
    const [, follower, sealedNode] = nodes;
    if (!follower || !sealedNode) throw new Error('nodes');
    await unseal(leader);
    await unseal(follower);
    const old = value(leader.encrypt('secret/old', bytes('term-1')));
    const proposal = value(leader.prepareRotation(5_000));
    expect(proposal.term).toBe(2);
    expect(value(keyringBlobTerm(proposal.write.value))).toBe(2);
    expect(value(leader.keyStatus()).term).toBe(1); // nothing changes before the entry is applied
    const applied = applyKeyring(proposal.write.value);
    expect(applied.map((r) => r.ok)).toEqual([true, true, true]);
    expect(value(leader.keyStatus())).toMatchObject({ term: 2, installTimeMs: 5_000, encryptions: 0 });
    expect(value(follower.keyStatus())).toMatchObject({ term: 2, installTimeMs: 5_000 });
    const fresh = value(leader.encrypt('secret/new', bytes('term-2')));
    expect([...fresh.subarray(0, 4)]).toEqual([0, 0, 0, 2]);
    expect(text(value(follower.decrypt('secret/new', fresh)))).toBe('term-2');
    expect(text(value(follower.decrypt('secret/old', old)))).toBe('term-1');
    // A node that was sealed while the rotation applied picks it up from the store at unseal.
    await unseal(sealedNode);
    expect(value(sealedNode.keyStatus()).term).toBe(2);
    expect(text(value(sealedNode.decrypt('secret/new', fresh)))).toBe('term-2');
    // A DR secondary holding a copy of the state unseals with the primary's shares.
    const dr = new MemoryCoreStore();
    dr.apply([...store.records].map(([path, v]) => ({ path, value: v })));
    const secondary = new Barrier({ store: dr });
    for (const k of init.keys.slice(1, 3)) value(await secondary.submitUnsealShare(k));
    expect(text(value(secondary.decrypt('secret/new', fresh)))).toBe('term-2');
    expect(text(value(secondary.decrypt('secret/old', old)))).toBe('term-1');
  });

  it('a stale or replayed keyring write is refused and changes nothing', async () => {
    const { leader, unseal, applyKeyring, store } = await cluster();
    await unseal(leader);
    const first = value(leader.prepareRotation(1));
    const stale = value(leader.prepareKeyringCheckpoint()); // still term 1
    const twice = value(leader.prepareRotation(1)); // also term 2: a retried proposal
    expect(checkKeyringWrite(store.records.get(KEYRING_PATH), first.write.value).ok).toBe(true);
    applyKeyring(first.write.value);
    // the state machine's guard, which needs no key, refuses both
    expect(checkKeyringWrite(store.records.get(KEYRING_PATH), stale.write.value)).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(checkKeyringWrite(store.records.get(KEYRING_PATH), twice.write.value)).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(leader.applyKeyring(twice.write.value)).toMatchObject({ ok: false, error: { kind: 'internal' } }); // and the barrier too
    const checkpoint = value(leader.prepareKeyringCheckpoint()); // term 2, same key: allowed
    expect(checkKeyringWrite(store.records.get(KEYRING_PATH), checkpoint.write.value).ok).toBe(true);
    expect(checkKeyringWrite(store.records.get(KEYRING_PATH), value(leader.prepareRotation(3)).write.value).ok).toBe(true);
    const r = leader.applyKeyring(stale.write.value);
    expect(r).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(value(leader.keyStatus()).term).toBe(2);
  });

  it('rotation comes due at max_operations; checkpoints carry encryption counts to other nodes', async () => {
    const { nodes, leader, unseal, applyKeyring } = await cluster();
    const follower = nodes[1];
    if (!follower) throw new Error('nodes');
    await unseal(leader);
    await unseal(follower);
    expect(leader.prepareRotationConfig(0)).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    applyKeyring(value(leader.prepareRotationConfig(4)).write.value);
    for (let i = 0; i < 3; i++) value(leader.encrypt('p', bytes('x')));
    expect(leader.isRotationDue()).toBe(false);
    value(leader.encrypt('p', bytes('x')));
    expect(leader.isRotationDue()).toBe(true);
    applyKeyring(value(leader.prepareKeyringCheckpoint()).write.value);
    expect(value(follower.keyStatus()).encryptions).toBe(4); // a new leader would know
    expect(follower.isRotationDue()).toBe(true);
    applyKeyring(value(leader.prepareRotation(9)).write.value);
    expect(leader.isRotationDue()).toBe(false);
    expect(value(follower.keyStatus())).toMatchObject({ term: 2, encryptions: 0 });
    applyKeyring(value(leader.prepareRotationConfig(DEFAULT_MAX_ENCRYPTIONS)).write.value);
  });

  it('a sealed node refuses to prepare keyring writes but accepts applies (it stores, it cannot read)', async () => {
    const { leader } = await cluster();
    expect(leader.prepareRotation(1)).toMatchObject({ ok: false, error: { kind: 'sealed' } });
    expect(leader.applyKeyring(new Uint8Array(10))).toEqual({ ok: true, value: undefined });
  });
});
