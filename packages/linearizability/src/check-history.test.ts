import { describe, expect, it } from 'vitest';
import { checkHistory } from './check-history.js';
import type { KvOperation } from './types.js';

const BUDGET = { budget: 100_000 };

function put(clientId: string, key: string, value: string, invokeTime: number, returnTime: number | null): KvOperation {
  return { clientId, op: 'put', key, value, invokeTime, returnTime, ok: true };
}
function get(clientId: string, key: string, value: string | null, invokeTime: number, returnTime: number): KvOperation {
  return { clientId, op: 'get', key, value, invokeTime, returnTime, ok: true };
}

describe('checkHistory: linearizable histories pass', () => {
  it('accepts an empty history and a read of an absent key', () => {
    expect(checkHistory([], BUDGET).verdict).toBe('linearizable');
    expect(checkHistory([get('a', 'k', null, 0, 1)], BUDGET).verdict).toBe('linearizable');
  });

  it('accepts a get concurrent with a put reading either the old or the new value', () => {
    const base = [put('a', 'k', 'v1', 0, 1), put('a', 'k', 'v2', 2, 6)];
    expect(checkHistory([...base, get('b', 'k', 'v1', 3, 5)], BUDGET).verdict).toBe('linearizable');
    expect(checkHistory([...base, get('b', 'k', 'v2', 3, 5)], BUDGET).verdict).toBe('linearizable');
    // The get starts before and ends after the put: still either value.
    expect(checkHistory([...base, get('b', 'k', 'v2', 1.5, 7)], BUDGET).verdict).toBe('linearizable');
    expect(checkHistory([...base, get('b', 'k', 'v1', 1.5, 7)], BUDGET).verdict).toBe('linearizable');
  });

  it('accepts two concurrent puts seen in either order, as long as readers agree', () => {
    const puts = [put('a', 'k', 'x', 0, 10), put('b', 'k', 'y', 1, 9)];
    expect(checkHistory([...puts, get('c', 'k', 'x', 11, 12)], BUDGET).verdict).toBe('linearizable');
    expect(checkHistory([...puts, get('c', 'k', 'y', 11, 12)], BUDGET).verdict).toBe('linearizable');
  });

  it('accepts an indeterminate put that took effect, and one that did not', () => {
    const lost = put('a', 'k', 'maybe', 2, null);
    const before = put('a', 'k', 'v1', 0, 1);
    expect(checkHistory([before, lost, get('b', 'k', 'maybe', 10, 11)], BUDGET).verdict).toBe('linearizable');
    expect(checkHistory([before, lost, get('b', 'k', 'v1', 10, 11)], BUDGET).verdict).toBe('linearizable');
    // It may even take effect long after: old value first, then the indeterminate one.
    const both = [before, lost, get('b', 'k', 'v1', 10, 11), get('b', 'k', 'maybe', 12, 13)];
    expect(checkHistory(both, BUDGET).verdict).toBe('linearizable');
  });

  it('treats a failed put as indeterminate and ignores a failed get', () => {
    const failedPut: KvOperation = { ...put('a', 'k', 'f', 0, 1), ok: false };
    const failedGet: KvOperation = { ...get('b', 'k', 'garbage', 2, 3), ok: false };
    expect(checkHistory([failedPut, get('b', 'k', 'f', 5, 6), failedGet], BUDGET).verdict).toBe('linearizable');
  });

  it('checks keys independently', () => {
    const h = [put('a', 'k1', 'v', 0, 1), put('a', 'k2', 'w', 2, 3), get('b', 'k1', 'v', 4, 5), get('b', 'k2', 'w', 4, 5)];
    expect(checkHistory(h, BUDGET).verdict).toBe('linearizable');
  });
});

describe('checkHistory: classic violations fail', () => {
  it('finds a stale read after an acknowledged write', () => {
    const h = [put('a', 'k', 'v1', 0, 1), put('a', 'k', 'v2', 2, 3), get('b', 'k', 'v1', 4, 5)];
    const result = checkHistory(h, BUDGET);
    expect(result.verdict).toBe('violation');
    expect(result.key).toBe('k');
    expect(result.details).toContain('key "k"');
    expect(result.details).toContain('get -> "v1"');
  });

  it('finds a read of the absent value after a write completed', () => {
    const h = [put('a', 'k', 'v1', 0, 1), get('b', 'k', null, 2, 3)];
    expect(checkHistory(h, BUDGET).verdict).toBe('violation');
  });

  it('finds a lost write: a newer value is read, then an older one', () => {
    const h = [
      put('a', 'k', 'old', 0, 1),
      put('a', 'k', 'new', 2, 3),
      get('b', 'k', 'new', 4, 5),
      get('c', 'k', 'old', 6, 7),
    ];
    const result = checkHistory(h, BUDGET);
    expect(result.verdict).toBe('violation');
    expect(result.key).toBe('k');
  });

  it('finds readers that disagree on the order of two concurrent puts', () => {
    const h = [
      put('a', 'k', 'x', 0, 10),
      put('b', 'k', 'y', 0, 10),
      get('c', 'k', 'x', 11, 12),
      get('d', 'k', 'y', 13, 14),
      get('c', 'k', 'x', 15, 16),
    ];
    expect(checkHistory(h, BUDGET).verdict).toBe('violation');
  });

  it('finds a read of a value never written, naming it', () => {
    const h = [put('a', 'k', 'v1', 0, 1), get('b', 'k', 'ghost', 2, 3)];
    const result = checkHistory(h, BUDGET);
    expect(result).toMatchObject({ verdict: 'violation', key: 'k' });
    expect(result.details).toContain('never written');
  });

  it('reports the violating key among clean ones', () => {
    const h = [put('a', 'good', 'v', 0, 1), get('b', 'good', 'v', 2, 3), put('a', 'bad', 'v', 0, 1), get('b', 'bad', null, 2, 3)];
    expect(checkHistory(h, BUDGET)).toMatchObject({ verdict: 'violation', key: 'bad' });
  });
});

describe('checkHistory: budget', () => {
  it('answers unknown, never a pass, when the budget is too small', () => {
    const h: KvOperation[] = [];
    for (let i = 0; i < 12; i++) h.push(put(`c${i}`, 'k', `v${i}`, 0, 100));
    h.push(get('r', 'k', 'v3', 101, 102));
    expect(checkHistory(h, { budget: 5 })).toMatchObject({ verdict: 'unknown', key: 'k' });
    expect(checkHistory(h, BUDGET).verdict).toBe('linearizable');
  });

  it('still reports a violation in one key when another key ran out', () => {
    const h: KvOperation[] = [put('a', 'bad', 'v', 0, 1), get('b', 'bad', null, 2, 3)];
    for (let i = 0; i < 12; i++) h.push(put(`c${i}`, 'z-big', `v${i}`, 0, 100));
    expect(checkHistory(h, { budget: 30 }).verdict).toBe('violation');
  });

  it('handles a larger concurrent history within budget thanks to memoisation', () => {
    // 8 clients, 200 ops each round overlapping: a sequential register written and read back.
    const h: KvOperation[] = [];
    let t = 0;
    for (let round = 0; round < 25; round++) {
      for (let c = 0; c < 8; c++) h.push(put(`c${c}`, 'k', `r${round}c${c}`, t, t + 10));
      h.push(get('r', 'k', `r${round}c7`, t + 11, t + 12));
      t += 20;
    }
    expect(checkHistory(h, { budget: 1_000_000 }).verdict).toBe('linearizable');
  });
});
