import { describe, expect, it } from 'vitest';
import { decodeActivationToken, mintActivationToken, verifyActivationToken } from './activation-token.js';
import { mintDrBatchToken } from './batch-token.js';
import { checkDrBatchToken } from './dr-auth.js';
import { activateSecondary, enablePrimary, issueSecondaryToken } from './dr-primary-transitions.js';
import { hashSecret } from './encoding.js';
import { INITIAL_DR_STATE } from './dr-state.js';
import { failure, seededRandom, value } from './results.test-helper.js';

const T0 = 1_700_000_000_000;
const mint = (over: { ttlMs?: number; seed?: number } = {}) =>
  value(
    mintActivationToken(
      { secondaryId: 'dr-east', primaryClusterId: 'cluster-A', primaryAddresses: ['10.0.0.1:8201', '10.0.0.2:8201'], epoch: 3, nowMs: T0, ...(over.ttlMs === undefined ? {} : { ttlMs: over.ttlMs }) },
      seededRandom(over.seed ?? 1),
    ),
  );

describe('activation token', () => {
  it('is a compact base64url string that round-trips its claims, with a 30 minute default TTL', () => {
    const m = mint();
    expect(m.token).toMatch(/^cdr1\.[A-Za-z0-9_-]+$/);
    expect(m.token.length).toBeLessThan(400);
    const c = value(decodeActivationToken(m.token));
    expect(c).toEqual(m.claims);
    expect(c).toMatchObject({ secondaryId: 'dr-east', primaryClusterId: 'cluster-A', epoch: 3, expiresAtMs: T0 + 30 * 60_000 });
    expect(m.secretHash).toBe(hashSecret(c.secret));
    expect(m.secretHash).not.toContain(c.secret);
  });

  it('gets a fresh secret from the injected randomness', () => {
    expect(mint({ seed: 1 }).claims.secret).not.toBe(mint({ seed: 2 }).claims.secret);
    expect(mint({ seed: 1 }).claims.secret).toBe(mint({ seed: 1 }).claims.secret);
  });

  it('refuses to mint without an address, with a bad id or a bad TTL', () => {
    const r = seededRandom(1);
    const base = { secondaryId: 'dr', primaryClusterId: 'A', primaryAddresses: ['a:1'], epoch: 1, nowMs: T0 };
    expect(failure(mintActivationToken({ ...base, primaryAddresses: [] }, r)).message).toMatch(/primary_cluster_addr/);
    expect(failure(mintActivationToken({ ...base, secondaryId: '' }, r)).message).toMatch(/invalid secondary id/);
    expect(failure(mintActivationToken({ ...base, ttlMs: -1 }, r)).message).toMatch(/ttl/);
  });

  it('verify: each failure is distinct: malformed, expired, wrong secondary id, foreign cluster', () => {
    const { token } = mint();
    expect(value(verifyActivationToken(token, { nowMs: T0 + 1, secondaryId: 'dr-east', primaryClusterId: 'cluster-A' })).secondaryId).toBe('dr-east');
    expect(failure(verifyActivationToken(token, { nowMs: T0 + 30 * 60_000 })).message).toMatch(/expired at/);
    expect(failure(verifyActivationToken(token, { nowMs: T0, secondaryId: 'dr-west' })).message).toMatch(/wrong secondary id.*"dr-east", not "dr-west"/);
    expect(failure(verifyActivationToken(token, { nowMs: T0, primaryClusterId: 'cluster-Z' })).message).toMatch(/foreign cluster.*cluster-A.*cluster-Z/);
    const malformed = ['', 'hvs.abc', 'cdr1.!!!', 'cdr1.' + Buffer.from('{"v":1').toString('base64url'), 'cdr1.' + Buffer.from('{"v":2}').toString('base64url'), token.slice(0, 60)];
    for (const t of malformed) {
      const e = failure(verifyActivationToken(t, { nowMs: T0 }));
      expect(e.kind).toBe('invalid-request');
      expect(e.message).toMatch(/^malformed activation token/);
    }
  });

  it('errors never echo the token or its secret', () => {
    const { token, claims } = mint();
    const errors = [
      verifyActivationToken(token, { nowMs: T0 + 99 * 60_000 }),
      verifyActivationToken(token, { nowMs: T0, secondaryId: 'x' }),
      verifyActivationToken(token + 'x', { nowMs: T0 }),
    ];
    for (const r of errors) {
      const m = failure(r).message;
      expect(m).not.toContain(claims.secret);
      expect(m).not.toContain(token.slice(5, 40));
    }
  });

  it('consumed on the primary it works once ("already used" the second time)', () => {
    const m = mint();
    let p = value(enablePrimary(INITIAL_DR_STATE, { clusterId: 'cluster-A', nowMs: T0 }));
    p = value(issueSecondaryToken(p, { secondaryId: 'dr-east', secretHash: m.secretHash, nowMs: T0, ttlMs: 30 * 60_000 }));
    const consume = (s: typeof p) => activateSecondary(s, { secondaryId: 'dr-east', secretHash: hashSecret(m.claims.secret), credentialHash: hashSecret('cred'), nowMs: T0 + 5 });
    const once = value(consume(p));
    expect(failure(consume(once)).message).toMatch(/already used/);
  });
});

describe('DR batch token', () => {
  it('is minted with a hashed record that checks for its operations until it expires', () => {
    const { token, record } = value(mintDrBatchToken({ nowMs: T0, ttlMs: 8 * 3_600_000, displayName: 'oncall-night' }, seededRandom(4)));
    expect(token).toMatch(/^hvb\.[A-Za-z0-9]{40}$/);
    expect(record).toEqual({ tokenHash: hashSecret(token), createdAtMs: T0, expiresAtMs: T0 + 8 * 3_600_000, operations: ['promote', 'update-primary'], displayName: 'oncall-night' });
    expect(checkDrBatchToken(record, hashSecret(token), 'promote', T0 + 1).ok).toBe(true);
    expect(failure(checkDrBatchToken(record, hashSecret(token), 'secondary-disable', T0)).message).toMatch(/does not allow/);
    expect(failure(checkDrBatchToken(record, hashSecret(token), 'promote', record.expiresAtMs)).message).toMatch(/expired/);
    expect(failure(checkDrBatchToken(record, hashSecret('hvb.other'), 'promote', T0)).message).toMatch(/no such token/);
  });

  it('always expires, within a week, and names known operations only', () => {
    const r = seededRandom(1);
    expect(failure(mintDrBatchToken({ nowMs: T0, ttlMs: 0, displayName: 'x' }, r)).message).toMatch(/ttl/);
    expect(failure(mintDrBatchToken({ nowMs: T0, ttlMs: 8 * 24 * 3_600_000, displayName: 'x' }, r)).message).toMatch(/7 days/);
    expect(failure(mintDrBatchToken({ nowMs: T0, ttlMs: 1000, operations: [], displayName: 'x' }, r)).message).toMatch(/operations/);
  });
});
