/**
 * The verdict code on small hand-made histories, as the load tester records them: linearizable
 * ones pass, the classic violations fail (stale read after an acknowledged write, a lost write, a
 * read of a value never written), indeterminate writes are open-ended, and the exit code follows.
 */
import { describe, expect, it } from 'vitest';
import { checkDurability } from './durability-verdict.js';
import { exitCodeOf, LOADTEST_EXIT } from './exit-code.js';
import { checkLinearizability, toCheckerHistory } from './linearizability-verdict.js';
import type { OpOutcome, OpRecord } from './types.js';

const LIMITS = { stepsPerKey: 100_000, timeLimitMs: 10_000, nowMs: () => performance.now() };

function w(clientId: string, key: string, value: string, invokeMs: number, completeMs: number, outcome: OpOutcome = 'ok'): OpRecord {
  return { clientId, kind: 'write', key, value, invokeMs, completeMs, outcome, node: 'n1', isWarmup: false, ...(outcome === 'ok' ? {} : { error: 'timeout' }) };
}
function r(clientId: string, key: string, value: string | null, invokeMs: number, completeMs: number, outcome: OpOutcome = 'ok'): OpRecord {
  return { clientId, kind: 'read', key, value, invokeMs, completeMs, outcome, node: 'n1', isWarmup: false };
}
const lin = (h: OpRecord[]): string => checkLinearizability(h, LIMITS).verdict;

describe('linearizability verdict of a recorded history', () => {
  it('passes sequential and concurrent histories that have a legal order', () => {
    expect(lin([])).toBe('pass');
    expect(lin([r('c1', 'k1', null, 0, 1), w('c1', 'k1', 'c1.1', 2, 3), r('c2', 'k1', 'c1.1', 4, 5)])).toBe('pass');
    // A read concurrent with a write may see either value.
    const writes = [w('c1', 'k1', 'c1.1', 0, 1), w('c1', 'k1', 'c1.2', 2, 6)];
    expect(lin([...writes, r('c2', 'k1', 'c1.1', 3, 5)])).toBe('pass');
    expect(lin([...writes, r('c2', 'k1', 'c1.2', 3, 5)])).toBe('pass');
    // Keys are independent registers.
    expect(lin([w('c1', 'k1', 'c1.1', 0, 1), r('c2', 'k2', null, 2, 3)])).toBe('pass');
  });

  it('fails a stale read after an acknowledged write', () => {
    const h = [w('c1', 'k1', 'c1.1', 0, 1), w('c1', 'k1', 'c1.2', 2, 3), r('c2', 'k1', 'c1.1', 4, 5)];
    const v = checkLinearizability(h, LIMITS);
    expect(v.verdict).toBe('fail');
    expect(v.details).toContain('"k1"');
  });

  it('fails a lost write: an acknowledged write that a later read does not see', () => {
    expect(lin([w('c1', 'k1', 'c1.1', 0, 1), r('c2', 'k1', null, 2, 3)])).toBe('fail');
  });

  it('fails a read of a value never written, naming it', () => {
    const v = checkLinearizability([w('c1', 'k1', 'c1.1', 0, 1), r('c2', 'k1', 'c9.9', 2, 3)], LIMITS);
    expect(v.verdict).toBe('fail');
    expect(v.details).toMatch(/never written/);
  });

  it('treats a timed-out write as open-ended: seen late, or never, both pass; a definite failure never happened', () => {
    const maybe = w('c1', 'k1', 'c1.2', 2, 3, 'indeterminate');
    const base = [w('c1', 'k1', 'c1.1', 0, 1), maybe];
    expect(lin([...base, r('c2', 'k1', 'c1.1', 10, 11)])).toBe('pass');
    expect(lin([...base, r('c2', 'k1', 'c1.2', 10, 11)])).toBe('pass');
    // Seen long after its error arrived, then the old value again: not linearizable.
    expect(lin([...base, r('c2', 'k1', 'c1.2', 10, 11), r('c2', 'k1', 'c1.1', 12, 13)])).toBe('fail');
    // A refused write (outcome fail) did not happen: reading its value is a violation.
    expect(lin([w('c1', 'k1', 'c1.1', 0, 1, 'fail'), r('c2', 'k1', 'c1.1', 2, 3)])).toBe('fail');
  });

  it('leaves out unobserved indeterminate writes and failed reads, and counts them', () => {
    const h = [w('c1', 'k1', 'c1.1', 0, 1, 'indeterminate'), w('c1', 'k1', 'c1.2', 2, 3, 'indeterminate'), r('c2', 'k1', 'c1.2', 4, 5), r('c2', 'k1', null, 6, 7, 'indeterminate')];
    const { ops, droppedUnobserved } = toCheckerHistory(h);
    expect(droppedUnobserved).toBe(1);
    expect(ops.map((o) => `${o.op}:${o.value}:${o.returnTime}`)).toEqual(['put:c1.2:null', 'get:c1.2:5']);
  });

  it('says unknown, not pass, when the search runs out of steps or of time', () => {
    const h: OpRecord[] = [];
    // Many concurrent writes, all read back in one order late: a big search space for a tiny budget.
    for (let i = 0; i < 12; i++) h.push(w(`c${i}`, 'k1', `c${i}.1`, 0, 100));
    for (let i = 0; i < 12; i++) h.push(r('z', 'k1', `c${i}.1`, 101 + 2 * i, 102 + 2 * i));
    expect(checkLinearizability(h, { ...LIMITS, stepsPerKey: 5 }).verdict).toBe('unknown');
    let t = 0;
    const v = checkLinearizability([w('c1', 'k1', 'c1.1', 0, 1), w('c1', 'k2', 'c1.2', 0, 1)], { ...LIMITS, timeLimitMs: 5, nowMs: () => (t += 10) });
    expect(v.verdict).toBe('unknown');
    expect(v.details).toMatch(/time limit/);
  });
});

describe('durability verdict', () => {
  it('passes when each key holds its last acknowledged write, a concurrent one, or a late indeterminate one', () => {
    const h = [
      w('c1', 'k1', 'c1.1', 0, 1), w('c1', 'k1', 'c1.2', 2, 3),
      w('c1', 'k2', 'c1.3', 0, 10), w('c2', 'k2', 'c2.1', 5, 12),
      w('c1', 'k3', 'c1.4', 0, 1), w('c1', 'k3', 'c1.5', 2, 3, 'indeterminate'),
    ];
    const v = checkDurability(h, [{ key: 'k1', value: 'c1.2' }, { key: 'k2', value: 'c1.3' }, { key: 'k3', value: 'c1.5' }]);
    expect(v).toMatchObject({ verdict: 'pass', keysChecked: 3, acknowledgedWrites: 5, violations: [] });
  });

  it('fails a lost acknowledged write, an absent key and a value never written, naming key and values', () => {
    const h = [w('c1', 'k1', 'c1.1', 0, 1), w('c1', 'k1', 'c1.2', 2, 3), w('c1', 'k2', 'c1.3', 0, 1), w('c1', 'k3', 'c1.4', 0, 1)];
    const v = checkDurability(h, [{ key: 'k1', value: 'c1.1' }, { key: 'k2', value: null }, { key: 'k3', value: 'zz.1' }]);
    expect(v.verdict).toBe('fail');
    expect(v.violations.map((x) => [x.key, x.finalValue, x.lostValue])).toEqual([['k1', 'c1.1', 'c1.2'], ['k2', null, 'c1.3'], ['k3', 'zz.1', 'c1.4']]);
    expect(v.violations[2]?.reason).toMatch(/never written/);
  });

  it('is unknown when a written key could not be read back', () => {
    const v = checkDurability([w('c1', 'k1', 'c1.1', 0, 1)], [{ key: 'k1', value: undefined }]);
    expect(v.verdict).toBe('unknown');
    expect(v.unreadKeys).toEqual(['k1']);
  });
});

describe('exit code of the verdicts', () => {
  it('is 0 for two passes, 1 when either fails (even with an unknown), 3 for an unknown', () => {
    expect(exitCodeOf(['pass', 'pass'])).toBe(0);
    expect(exitCodeOf(['fail', 'pass'])).toBe(LOADTEST_EXIT.fail);
    expect(exitCodeOf(['unknown', 'fail'])).toBe(1);
    expect(exitCodeOf(['pass', 'unknown'])).toBe(3);
  });

  it('a deliberately broken history gives exit code 1 through both checks', () => {
    const broken = [w('c1', 'k1', 'c1.1', 0, 1), w('c2', 'k1', 'c2.1', 2, 3), r('c3', 'k1', 'c1.1', 4, 5)];
    const l = checkLinearizability(broken, LIMITS);
    const d = checkDurability(broken, [{ key: 'k1', value: 'c1.1' }]);
    expect([l.verdict, d.verdict]).toEqual(['fail', 'fail']);
    expect(exitCodeOf([l.verdict, d.verdict])).toBe(1);
  });
});
