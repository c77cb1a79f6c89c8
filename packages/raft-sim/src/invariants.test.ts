import { logIndex, nodeId, term } from '@coffer/base';
import { MemoryStorage, type Entry } from '@coffer/raft';
import { describe, expect, it } from 'vitest';
import { InvariantChecker } from './invariants.js';

const [a, b] = [nodeId('a'), nodeId('b')];
const enc = new TextEncoder();
const entry = (index: number, t: number, data = ''): Entry => ({ index: logIndex(index), term: term(t), type: 'normal', data: enc.encode(data) });
const status = (role: 'leader' | 'follower', t: number, commit: number, applied: number) => ({
  role,
  term: term(t),
  commit: logIndex(commit),
  applied: logIndex(applied),
});

describe('InvariantChecker', () => {
  it('flags two leaders in one term, but not leaders of different terms', () => {
    const c = new InvariantChecker(() => 0);
    c.observeRole(a, 'leader', term(2));
    c.observeRole(b, 'leader', term(3));
    expect(c.isViolated).toBe(false);
    c.observeRole(b, 'leader', term(2));
    expect(c.violations[0]?.invariant).toBe('election-safety');
  });

  it('flags two different entries applied at one index', () => {
    const c = new InvariantChecker(() => 0);
    c.applied(a, entry(5, 2, 'x'), term(2));
    c.applied(b, entry(5, 2, 'x'), term(2));
    expect(c.isViolated).toBe(false);
    c.applied(b, entry(5, 3, 'y'), term(3));
    expect(c.violations[0]?.invariant).toBe('state-machine-safety');
  });

  it('flags an (index, term) pair naming two different entries (log matching)', () => {
    const c = new InvariantChecker(() => 0);
    c.beforeAppend(a, new MemoryStorage(), [entry(1, 1, 'x')], term(1));
    c.beforeAppend(b, new MemoryStorage(), [entry(1, 1, 'y')], term(1));
    expect(c.violations[0]?.invariant).toBe('log-matching');
  });

  it('flags a committed entry dropped from a log, not an uncommitted conflicting one', () => {
    const c = new InvariantChecker(() => 0);
    const s = new MemoryStorage();
    s.append([entry(1, 1, 'x'), entry(2, 1, 'y')]);
    c.applied(b, entry(1, 1, 'x'), term(1));
    c.beforeAppend(a, s, [entry(2, 2, 'z')], term(2)); // replaces uncommitted 2: fine
    expect(c.isViolated).toBe(false);
    c.beforeAppend(a, s, [entry(1, 2, 'w')], term(0)); // a stale leader of a term before the commit: allowed
    expect(c.isViolated).toBe(false);
    c.beforeAppend(a, s, [entry(1, 2, 'w')], term(2)); // replaces committed 1 in a later term: not fine
    expect(c.violations[0]?.invariant).toBe('committed-entry-dropped');
  });

  it('flags a later leader missing a committed entry, not a stale leader of an older term', () => {
    const c = new InvariantChecker(() => 0);
    c.applied(b, entry(1, 1, 'x'), term(3)); // committed while b was in term 3
    const empty = new MemoryStorage();
    c.checkNode(a, status('leader', 3, 0, 0), empty, true); // a stale leader of term 3 may lack it
    expect(c.isViolated).toBe(false);
    c.checkNode(a, status('leader', 4, 0, 0), empty, true);
    expect(c.violations[0]?.invariant).toBe('leader-completeness');
  });

  it('flags commit going back and applied beyond commit', () => {
    const c = new InvariantChecker(() => 0);
    c.checkNode(a, status('follower', 1, 5, 5), new MemoryStorage(), true);
    c.checkNode(a, status('follower', 1, 4, 4), new MemoryStorage(), true);
    expect(c.violations.map((v) => v.invariant)).toContain('commit-monotonic');
    const d = new InvariantChecker(() => 0);
    d.checkNode(a, status('follower', 1, 3, 4), new MemoryStorage(), true);
    expect(d.violations[0]?.invariant).toBe('applied-le-commit');
  });
});
