import { describe, expect, it } from 'vitest';
import type { CofferError, Result } from '@coffer/base';
import type { ActivationClaims } from './activation-token.js';
import type { DrBatchTokenRecord, DrOperationAuth } from './dr-auth.js';
import { applyDrCommand } from './dr-command.js';
import type { DrCommand } from './dr-command.js';
import {
  activateSecondary,
  checkSecondaryCredential,
  demotePrimary,
  disablePrimary,
  enablePrimary,
  fencePrimary,
  issueSecondaryToken,
  revokeSecondary,
} from './dr-primary-transitions.js';
import {
  addOperationToken,
  deleteOperationToken,
  disableSecondary,
  enableSecondary,
  promoteSecondary,
  setStreamState,
  updatePrimary,
} from './dr-secondary-transitions.js';
import type { DrState, PrimaryState, SecondaryState } from './dr-state.js';
import { INITIAL_DR_STATE, isWritable, servesClients, servingPrimaryView, writeRefusal } from './dr-state.js';
import { hashSecret } from './encoding.js';
import { failure, value } from './results.test-helper.js';

const H = (s: string): string => hashSecret(s);
const T0 = 1_700_000_000_000;


const primaryA = (): PrimaryState => value(enablePrimary(INITIAL_DR_STATE, { clusterId: 'A', nowMs: T0 })) as PrimaryState;

function claims(over: Partial<ActivationClaims> = {}): ActivationClaims {
  return {
    secondaryId: 'dr1',
    primaryClusterId: 'A',
    primaryAddresses: ['10.0.0.1:8201'],
    epoch: 1,
    issuedAtMs: T0,
    expiresAtMs: T0 + 1_800_000,
    secret: 's'.repeat(43),
    ...over,
  };
}
const secondaryB = (): SecondaryState =>
  value(enableSecondary(INITIAL_DR_STATE, { clusterId: 'B', claims: claims(), credential: 'c'.repeat(43), nowMs: T0 })) as SecondaryState;
const opAuth = (s: SecondaryState, token = 'op-token'): { state: SecondaryState; auth: DrOperationAuth } => ({
  state: value(addOperationToken(s, { tokenHash: H(token) })) as SecondaryState,
  auth: { kind: 'operation-token', tokenHash: H(token) },
});

describe('dr-state: the initial record', () => {
  it('is a writable standalone cluster at epoch 0', () => {
    expect(INITIAL_DR_STATE).toEqual({ mode: 'disabled', epoch: 0, lineage: [] });
    expect(isWritable(INITIAL_DR_STATE)).toBe(true);
    expect(servesClients(INITIAL_DR_STATE)).toBe(true);
    expect(writeRefusal(INITIAL_DR_STATE)).toBeUndefined();
  });
});

describe('primary/enable, disable, re-enable', () => {
  it('enable makes a primary at epoch 1 with itself in the lineage', () => {
    const p = primaryA();
    expect(p).toMatchObject({ mode: 'primary', clusterId: 'A', epoch: 1, secondaries: [] });
    expect(p.lineage).toEqual([{ epoch: 1, primaryClusterId: 'A', sinceMs: T0 }]);
    expect(isWritable(p)).toBe(true);
  });

  it('enable on a primary or a secondary is refused and says what to do', () => {
    expect(failure(enablePrimary(primaryA(), { clusterId: 'A', nowMs: T0 })).message).toMatch(/already|a DR primary/);
    const e = failure(enablePrimary(secondaryB(), { clusterId: 'B', nowMs: T0 }));
    expect(e.kind).toBe('invalid-request');
    expect(e.message).toMatch(/promote a secondary instead/);
  });

  it('enable refuses an empty cluster id', () => {
    expect(failure(enablePrimary(INITIAL_DR_STATE, { clusterId: '', nowMs: T0 })).message).toMatch(/clusterId/);
  });

  it('disable keeps the epoch, and a re-enable raises it (old secondaries are forgotten)', () => {
    const withSecondary = value(issueSecondaryToken(primaryA(), { secondaryId: 'dr1', secretHash: H('x'), nowMs: T0, ttlMs: 1000 }));
    const off = value(disablePrimary(withSecondary));
    expect(off).toMatchObject({ mode: 'disabled', epoch: 1 });
    const again = value(enablePrimary(off, { clusterId: 'A', nowMs: T0 + 1 })) as PrimaryState;
    expect(again.epoch).toBe(2);
    expect(again.secondaries).toEqual([]);
    expect(failure(disablePrimary(off)).kind).toBe('invalid-request');
  });
});

describe('secondary tokens, activation and revocation on the primary', () => {
  const issue = (s: DrState, id = 'dr1', secret = 'secret-1', nowMs = T0): DrState =>
    value(issueSecondaryToken(s, { secondaryId: id, secretHash: H(secret), nowMs, ttlMs: 30 * 60_000 }));
  const activate = (s: DrState, id = 'dr1', secret = 'secret-1', nowMs = T0 + 1000): Result<DrState, CofferError> =>
    activateSecondary(s, { secondaryId: id, secretHash: H(secret), credentialHash: H('cred-' + id), nowMs });

  it('issuing records a pending secondary with the expiry', () => {
    const s = issue(primaryA()) as PrimaryState;
    expect(s.secondaries).toEqual([
      { id: 'dr1', state: 'token-issued', activationSecretHash: H('secret-1'), issuedAtMs: T0, tokenExpiresAtMs: T0 + 1_800_000 },
    ]);
  });

  it('refuses bad ids, bad hashes and non-positive TTLs', () => {
    expect(failure(issueSecondaryToken(primaryA(), { secondaryId: 'a b', secretHash: H('x'), nowMs: T0, ttlMs: 1 })).message).toMatch(/invalid secondary id/);
    expect(failure(issueSecondaryToken(primaryA(), { secondaryId: 'dr1', secretHash: 'nothex', nowMs: T0, ttlMs: 1 })).message).toMatch(/SHA-256/);
    expect(failure(issueSecondaryToken(primaryA(), { secondaryId: 'dr1', secretHash: H('x'), nowMs: T0, ttlMs: 0 })).message).toMatch(/ttl/);
  });

  it('only an unfenced primary issues tokens', () => {
    expect(failure(issueSecondaryToken(INITIAL_DR_STATE, { secondaryId: 'dr1', secretHash: H('x'), nowMs: T0, ttlMs: 1 })).message).toMatch(/not in DR replication/);
    const fenced = value(fencePrimary(primaryA(), { newerEpoch: 2, newerPrimaryClusterId: 'B', newerPrimaryAddresses: [], nowMs: T0 }));
    expect(failure(issueSecondaryToken(fenced, { secondaryId: 'dr1', secretHash: H('x'), nowMs: T0, ttlMs: 1 })).message).toMatch(/fenced.*update-primary/);
  });

  it('a new token for a pending id replaces the old one; the old secret stops working', () => {
    const s = issue(issue(primaryA(), 'dr1', 'old'), 'dr1', 'new');
    expect((s as PrimaryState).secondaries).toHaveLength(1);
    expect(failure(activate(s, 'dr1', 'old')).message).toMatch(/not recognised/);
    expect(activate(s, 'dr1', 'new').ok).toBe(true);
  });

  it('activation marks the secondary active with its credential hash', () => {
    const s = value(activate(issue(primaryA()))) as PrimaryState;
    expect(s.secondaries[0]).toMatchObject({ id: 'dr1', state: 'active', credentialHash: H('cred-dr1'), activatedAtMs: T0 + 1000 });
    expect(value(checkSecondaryCredential(s, { secondaryId: 'dr1', credentialHash: H('cred-dr1') })).id).toBe('dr1');
  });

  it('each activation failure is distinct: used, expired, wrong id, unknown, revoked', () => {
    const issued = issue(issue(primaryA(), 'dr1', 'secret-1'), 'dr2', 'secret-2');
    const used = value(activate(issued));
    expect(failure(activate(used)).message).toMatch(/already used/);
    expect(failure(activate(issued, 'dr1', 'secret-1', T0 + 1_800_000)).message).toMatch(/expired/);
    expect(failure(activate(issued, 'dr2', 'secret-1')).message).toMatch(/wrong secondary id.*"dr1", not "dr2"/);
    expect(failure(activate(issued, 'dr9', 'secret-9')).message).toMatch(/not recognised/);
    const revoked = value(revokeSecondary(issued, { secondaryId: 'dr1', nowMs: T0 }));
    expect(failure(activate(revoked)).message).toMatch(/revoked/);
    for (const e of [activate(used), activate(issued, 'dr2', 'secret-1'), activate(revoked)]) expect(failure(e).kind).toBe('permission-denied');
  });

  it('an active secondary cannot get a second token until revoked', () => {
    const active = value(activate(issue(primaryA())));
    expect(failure(issueSecondaryToken(active, { secondaryId: 'dr1', secretHash: H('z'), nowMs: T0, ttlMs: 1000 })).kind).toBe('conflict');
    const revoked = value(revokeSecondary(active, { secondaryId: 'dr1', nowMs: T0 }));
    expect(issueSecondaryToken(revoked, { secondaryId: 'dr1', secretHash: H('z'), nowMs: T0, ttlMs: 1000 }).ok).toBe(true);
  });

  it('revocation stops the credential at once, is idempotent, and needs a known id', () => {
    const active = value(activate(issue(primaryA())));
    const revoked = value(revokeSecondary(active, { secondaryId: 'dr1', nowMs: T0 + 5 }));
    expect(failure(checkSecondaryCredential(revoked, { secondaryId: 'dr1', credentialHash: H('cred-dr1') })).message).toMatch(/revoked/);
    expect(value(revokeSecondary(revoked, { secondaryId: 'dr1', nowMs: T0 + 9 }))).toBe(revoked);
    expect(failure(revokeSecondary(active, { secondaryId: 'nope', nowMs: T0 })).kind).toBe('not-found');
  });

  it('a wrong credential or an unknown secondary is refused', () => {
    const active = value(activate(issue(primaryA())));
    expect(failure(checkSecondaryCredential(active, { secondaryId: 'dr1', credentialHash: H('other') })).message).toMatch(/wrong credential/);
    expect(failure(checkSecondaryCredential(active, { secondaryId: 'x', credentialHash: H('cred-dr1') })).message).toMatch(/not known/);
  });
});

describe('demote and fence', () => {
  it('demote turns a primary into a secondary with no primary, keeping epoch and lineage', () => {
    const d = value(demotePrimary(primaryA())) as SecondaryState;
    expect(d).toMatchObject({ mode: 'secondary', clusterId: 'A', epoch: 1, streamState: 'idle', operationTokenHashes: [] });
    expect(d.primary).toBeUndefined();
    expect(isWritable(d)).toBe(false);
    expect(failure(demotePrimary(d)).message).toMatch(/only a DR primary/);
  });

  it('a demoted primary keeps streaming to its active secondaries (servingPrimaryView) until it follows a primary', () => {
    const issued = value(issueSecondaryToken(primaryA(), { secondaryId: 'b', secretHash: 'a'.repeat(64), nowMs: T0, ttlMs: 60_000 }));
    const active = value(activateSecondary(issued, { secondaryId: 'b', secretHash: 'a'.repeat(64), credentialHash: 'c'.repeat(64), nowMs: T0 }));
    const d = value(demotePrimary(active)) as SecondaryState;
    expect(d.drainingTo?.map((x) => x.id)).toEqual(['b']);
    expect(servingPrimaryView(d)).toMatchObject({ mode: 'primary', clusterId: 'A', epoch: 1, secondaries: [{ id: 'b', state: 'active' }] });
    expect(isWritable(d)).toBe(false);
    // A primary demoted with no secondary, or a fenced one, serves no stream.
    expect(servingPrimaryView(value(demotePrimary(primaryA())))).toBeUndefined();
    const fenced = value(fencePrimary(active, { newerEpoch: 2, newerPrimaryClusterId: 'B', newerPrimaryAddresses: [], nowMs: T0 }));
    expect(servingPrimaryView(fenced)).toBeUndefined();
    expect((value(demotePrimary(fenced)) as SecondaryState).drainingTo).toBeUndefined();
  });

  it('a fenced primary refuses writes with a message naming the newer primary', () => {
    const f = value(fencePrimary(primaryA(), { newerEpoch: 2, newerPrimaryClusterId: 'B', newerPrimaryAddresses: ['b:1'], nowMs: T0 }));
    expect(isWritable(f)).toBe(false);
    expect(servesClients(f)).toBe(true);
    expect(writeRefusal(f)).toMatch(/cluster B is primary at epoch 2.*update-primary/);
  });

  it('fencing needs a newer epoch and is idempotent', () => {
    expect(failure(fencePrimary(primaryA(), { newerEpoch: 1, newerPrimaryClusterId: 'B', newerPrimaryAddresses: [], nowMs: T0 })).message).toMatch(/not newer/);
    const f = value(fencePrimary(primaryA(), { newerEpoch: 3, newerPrimaryClusterId: 'B', newerPrimaryAddresses: [], nowMs: T0 }));
    expect(value(fencePrimary(f, { newerEpoch: 2, newerPrimaryClusterId: 'C', newerPrimaryAddresses: [], nowMs: T0 }))).toBe(f);
    expect(failure(fencePrimary(INITIAL_DR_STATE, { newerEpoch: 2, newerPrimaryClusterId: 'B', newerPrimaryAddresses: [], nowMs: T0 })).kind).toBe('invalid-request');
  });
});

describe('secondary/enable', () => {
  it('adopts the primary: its epoch and lineage, idle, no operation token, serves no clients', () => {
    const s = secondaryB();
    expect(s).toMatchObject({ mode: 'secondary', clusterId: 'B', epoch: 1, streamState: 'idle', operationTokenHashes: [] });
    expect(s.primary).toEqual({ primaryClusterId: 'A', primaryAddresses: ['10.0.0.1:8201'], secondaryId: 'dr1', credential: 'c'.repeat(43) });
    expect(s.lineage).toEqual([{ epoch: 1, primaryClusterId: 'A', sinceMs: T0 }]);
    expect(servesClients(s)).toBe(false);
    expect(writeRefusal(s)).toMatch(/DR secondary mode/);
  });

  it('is refused on a non-disabled cluster, on its own token, and with a weak credential', () => {
    expect(failure(enableSecondary(primaryA(), { clusterId: 'A', claims: claims({ primaryClusterId: 'Z' }), credential: 'c'.repeat(43), nowMs: T0 })).message).toMatch(/demote or disable/);
    expect(failure(enableSecondary(secondaryB(), { clusterId: 'B', claims: claims(), credential: 'c'.repeat(43), nowMs: T0 })).message).toMatch(/update-primary/);
    expect(failure(enableSecondary(INITIAL_DR_STATE, { clusterId: 'A', claims: claims(), credential: 'c'.repeat(43), nowMs: T0 })).message).toMatch(/its own secondary/);
    expect(failure(enableSecondary(INITIAL_DR_STATE, { clusterId: 'B', claims: claims(), credential: 'short', nowMs: T0 })).message).toMatch(/128 random bits/);
  });
});

describe('promote', () => {
  it('needs a valid DR operation token', () => {
    const s = secondaryB();
    expect(failure(promoteSecondary(s, { auth: undefined, nowMs: T0 })).message).toMatch(/needs a DR operation token/);
    expect(failure(promoteSecondary(s, { auth: { kind: 'operation-token', tokenHash: H('guess') }, nowMs: T0 })).message).toMatch(/invalid DR operation token/);
    expect(failure(promoteSecondary(s, { auth: { kind: 'sudo' }, nowMs: T0 })).message).toMatch(/does not accept client tokens/);
  });

  it('makes a writable primary at the next epoch, appended to the lineage', () => {
    const { state, auth } = opAuth(secondaryB());
    const p = value(promoteSecondary(state, { auth, nowMs: T0 + 9 })) as PrimaryState;
    expect(p).toMatchObject({ mode: 'primary', clusterId: 'B', epoch: 2, secondaries: [] });
    expect(p.fence).toBeUndefined();
    expect(p.lineage.map((e) => [e.epoch, e.primaryClusterId])).toEqual([[1, 'A'], [2, 'B']]);
    expect(isWritable(p)).toBe(true);
    // ... and can have DR secondaries of its own.
    expect(issueSecondaryToken(p, { secondaryId: 'dr-back', secretHash: H('x'), nowMs: T0, ttlMs: 1 }).ok).toBe(true);
  });

  it('accepts a DR batch token from the primary only for allowed operations and before expiry', () => {
    const record: DrBatchTokenRecord = { tokenHash: H('hvb.x'), createdAtMs: T0, expiresAtMs: T0 + 1000, operations: ['promote'], displayName: 'oncall' };
    const auth: DrOperationAuth = { kind: 'batch-token', tokenHash: H('hvb.x'), record };
    expect(promoteSecondary(secondaryB(), { auth, nowMs: T0 + 999 }).ok).toBe(true);
    expect(failure(promoteSecondary(secondaryB(), { auth, nowMs: T0 + 1000 })).message).toMatch(/expired/);
    expect(failure(disableSecondary(secondaryB(), { auth, nowMs: T0 })).message).toMatch(/does not allow secondary-disable/);
    expect(failure(promoteSecondary(secondaryB(), { auth: { ...auth, record: undefined }, nowMs: T0 })).message).toMatch(/no such token/);
    expect(failure(promoteSecondary(secondaryB(), { auth: { ...auth, tokenHash: H('other') }, nowMs: T0 })).message).toMatch(/no such token/);
  });

  it('is refused on a primary or a disabled cluster', () => {
    expect(failure(promoteSecondary(primaryA(), { auth: { kind: 'sudo' }, nowMs: T0 })).message).toMatch(/only a DR secondary/);
    expect(failure(promoteSecondary(INITIAL_DR_STATE, { auth: { kind: 'sudo' }, nowMs: T0 })).kind).toBe('invalid-request');
  });

  it('a demoted primary can be promoted back (planned failback) at a higher epoch', () => {
    const demoted = value(demotePrimary(primaryA())) as SecondaryState;
    const { state, auth } = opAuth(demoted);
    expect(value(promoteSecondary(state, { auth, nowMs: T0 }))).toMatchObject({ mode: 'primary', epoch: 2 });
  });
});

describe('update-primary', () => {
  const cred = 'n'.repeat(43);

  it('points a secondary at a newer primary and keeps its operation tokens', () => {
    const { state, auth } = opAuth(secondaryB());
    const u = value(updatePrimary(state, { auth, claims: claims({ primaryClusterId: 'C', epoch: 2, primaryAddresses: ['c:1'] }), credential: cred, nowMs: T0 + 1 })) as SecondaryState;
    expect(u).toMatchObject({ mode: 'secondary', epoch: 2, streamState: 'idle' });
    expect(u.primary?.primaryClusterId).toBe('C');
    expect(u.operationTokenHashes).toEqual([H('op-token')]);
    expect(u.lineage.map((e) => [e.epoch, e.primaryClusterId])).toEqual([[1, 'A'], [2, 'C']]);
  });

  it('refuses an older primary (never two primaries by accident)', () => {
    const { state, auth } = opAuth(secondaryB());
    const promotedOnce = value(promoteSecondary(state, { auth, nowMs: T0 }));
    const demoted = value(demotePrimary(promotedOnce)) as SecondaryState;
    const withToken = opAuth(demoted);
    const e = failure(updatePrimary(withToken.state, { auth: withToken.auth, claims: claims({ epoch: 1 }), credential: cred, nowMs: T0 }));
    expect(e.kind).toBe('conflict');
    expect(e.message).toMatch(/older primary/);
  });

  it('a fenced old primary follows the new primary with a sudo token (failback path)', () => {
    const fenced = value(fencePrimary(primaryA(), { newerEpoch: 2, newerPrimaryClusterId: 'B', newerPrimaryAddresses: ['b:1'], nowMs: T0 }));
    const u = value(updatePrimary(fenced, { auth: { kind: 'sudo' }, claims: claims({ primaryClusterId: 'B', epoch: 2, secondaryId: 'old-a' }), credential: cred, nowMs: T0 })) as SecondaryState;
    expect(u).toMatchObject({ mode: 'secondary', clusterId: 'A', epoch: 2 });
    expect(u.primary?.primaryClusterId).toBe('B');
    expect(u.lineage.map((e) => [e.epoch, e.primaryClusterId])).toEqual([[1, 'A'], [2, 'B']]);
  });

  it('an unfenced primary must demote first; a disabled cluster must enable', () => {
    expect(failure(updatePrimary(primaryA(), { auth: { kind: 'sudo' }, claims: claims({ primaryClusterId: 'B', epoch: 2 }), credential: cred, nowMs: T0 })).message).toMatch(/demoted first/);
    expect(failure(updatePrimary(INITIAL_DR_STATE, { auth: { kind: 'sudo' }, claims: claims(), credential: cred, nowMs: T0 })).message).toMatch(/secondary\/enable/);
  });

  it('an empty token forgets the primary; a token of itself is refused; no auth is refused', () => {
    const { state, auth } = opAuth(secondaryB());
    const forgot = value(updatePrimary(state, { auth, claims: undefined, credential: '', nowMs: T0 })) as SecondaryState;
    expect(forgot.primary).toBeUndefined();
    expect(failure(updatePrimary(state, { auth, claims: claims({ primaryClusterId: 'B' }), credential: cred, nowMs: T0 })).message).toMatch(/cannot follow itself/);
    expect(failure(updatePrimary(state, { auth: undefined, claims: claims(), credential: cred, nowMs: T0 })).kind).toBe('permission-denied');
  });
});

describe('secondary/disable, stream state and operation tokens', () => {
  it('disable needs a token and leaves a writable standalone cluster', () => {
    const { state, auth } = opAuth(secondaryB());
    expect(failure(disableSecondary(secondaryB(), { auth: undefined, nowMs: T0 })).kind).toBe('permission-denied');
    const d = value(disableSecondary(state, { auth, nowMs: T0 }));
    expect(d).toEqual({ mode: 'disabled', epoch: 1, lineage: state.lineage });
    expect(isWritable(d)).toBe(true);
    expect(failure(disableSecondary(primaryA(), { auth, nowMs: T0 })).kind).toBe('invalid-request');
  });

  it('setStreamState changes only the substate and returns the same object when unchanged', () => {
    const s = secondaryB();
    expect(setStreamState(s, 'idle')).toEqual({ ok: true, value: s });
    expect(value(setStreamState(s, 'snapshot-sync'))).toMatchObject({ streamState: 'snapshot-sync' });
    expect(failure(setStreamState(primaryA(), 'idle')).kind).toBe('invalid-request');
  });

  it('operation tokens are stored hashed, deleted with a valid token, and only on a secondary', () => {
    const { state, auth } = opAuth(secondaryB(), 'one');
    const two = value(addOperationToken(state, { tokenHash: H('two') })) as SecondaryState;
    expect(two.operationTokenHashes).toEqual([H('one'), H('two')]);
    expect(value(addOperationToken(two, { tokenHash: H('two') }))).toBe(two);
    const deleted = value(deleteOperationToken(two, { auth, tokenHash: H('one'), nowMs: T0 })) as SecondaryState;
    expect(deleted.operationTokenHashes).toEqual([H('two')]);
    expect(failure(deleteOperationToken(deleted, { auth, tokenHash: H('two'), nowMs: T0 })).kind).toBe('permission-denied');
    expect(failure(deleteOperationToken(two, { auth, tokenHash: H('nope'), nowMs: T0 })).kind).toBe('not-found');
    expect(failure(addOperationToken(primaryA(), { tokenHash: H('x') })).message).toMatch(/only on a DR secondary/);
    expect(failure(addOperationToken(two, { tokenHash: 'x' })).message).toMatch(/SHA-256/);
  });
});

describe('applyDrCommand: the full failover and failback, as the node would apply it', () => {
  it('A primary, B secondary; A lost; B promoted; A returns fenced; A follows B; planned failback', () => {
    const run = (s: DrState, c: DrCommand): DrState => value(applyDrCommand(s, c));
    // Site A is primary, B its DR secondary.
    let a = run(INITIAL_DR_STATE, { kind: 'enable-primary', clusterId: 'A', nowMs: T0 });
    a = run(a, { kind: 'issue-secondary-token', secondaryId: 'b', secretHash: H('sb'), nowMs: T0, ttlMs: 60_000 });
    a = run(a, { kind: 'activate-secondary', secondaryId: 'b', secretHash: H('sb'), credentialHash: H('cb'), nowMs: T0 + 1 });
    let b = run(INITIAL_DR_STATE, { kind: 'enable-secondary', clusterId: 'B', claims: claims({ secondaryId: 'b' }), credential: 'cb'.repeat(20), nowMs: T0 + 1 });
    // A is lost; B is promoted with an operation token.
    b = run(b, { kind: 'add-operation-token', tokenHash: H('op') });
    b = run(b, { kind: 'promote', auth: { kind: 'operation-token', tokenHash: H('op') }, nowMs: T0 + 10 });
    expect(b).toMatchObject({ mode: 'primary', epoch: 2 });
    // A comes back and hears of epoch 2: it fences itself (no second writable primary).
    a = run(a, { kind: 'fence', newerEpoch: 2, newerPrimaryClusterId: 'B', newerPrimaryAddresses: ['b:1'], nowMs: T0 + 20 });
    expect(isWritable(a)).toBe(false);
    expect(isWritable(b)).toBe(true);
    // B issues a token for A; A follows B.
    b = run(b, { kind: 'issue-secondary-token', secondaryId: 'a', secretHash: H('sa'), nowMs: T0 + 21, ttlMs: 60_000 });
    b = run(b, { kind: 'activate-secondary', secondaryId: 'a', secretHash: H('sa'), credentialHash: H('ca'), nowMs: T0 + 22 });
    a = run(a, { kind: 'update-primary', auth: { kind: 'sudo' }, claims: claims({ secondaryId: 'a', primaryClusterId: 'B', epoch: 2 }), credential: 'ca'.repeat(20), nowMs: T0 + 22 });
    expect(a).toMatchObject({ mode: 'secondary', epoch: 2 });
    // Planned failback: demote B, promote A, B follows A.
    b = run(b, { kind: 'demote' });
    a = run(a, { kind: 'add-operation-token', tokenHash: H('op2') });
    a = run(a, { kind: 'promote', auth: { kind: 'operation-token', tokenHash: H('op2') }, nowMs: T0 + 30 });
    expect(a).toMatchObject({ mode: 'primary', epoch: 3 });
    b = run(b, { kind: 'add-operation-token', tokenHash: H('op3') });
    b = run(b, { kind: 'update-primary', auth: { kind: 'operation-token', tokenHash: H('op3') }, claims: claims({ secondaryId: 'b2', primaryClusterId: 'A', epoch: 3 }), credential: 'x'.repeat(43), nowMs: T0 + 31 });
    expect(b).toMatchObject({ mode: 'secondary', epoch: 3 });
    expect([isWritable(a), isWritable(b)]).toEqual([true, false]);
    // Epochs never went down along the way for either site.
    expect(a.lineage.map((e) => e.epoch)).toEqual([1, 2, 3]);
  });

  it('an error changes nothing (the same object is still current)', () => {
    const p = primaryA();
    const r = applyDrCommand(p, { kind: 'promote', auth: undefined, nowMs: T0 });
    expect(r.ok).toBe(false);
    expect(p).toEqual(primaryA());
  });
});
