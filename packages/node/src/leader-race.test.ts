import { describe, expect, it } from 'vitest';
import { ChangeSignal, unlessLeaderChanges } from './waiters.js';

/** A forward that never answers (a leader frozen by SIGSTOP keeps the connection open). */
const hanging = <T>(): Promise<T> => new Promise<T>(() => undefined);

describe('unlessLeaderChanges', () => {
  it('gives up on a hanging forward as soon as another leader is known', async () => {
    const signal = new ChangeSignal();
    let leader: string | null = 'n1';
    const startedMs = performance.now();
    const r = unlessLeaderChanges(signal, () => leader, 'n1', hanging<string>(), performance.now() + 10_000);
    leader = null; // election in progress: keep waiting
    signal.fire();
    leader = 'n2';
    signal.fire();
    expect(await r).toBeUndefined();
    expect(performance.now() - startedMs).toBeLessThan(1000);
  });

  it('returns the forward result when the leader stays, and when no leader is known', async () => {
    const signal = new ChangeSignal();
    let leader: string | null = 'n1';
    let answer: (v: string) => void = () => undefined;
    const forward = new Promise<string>((resolve) => (answer = resolve));
    const r = unlessLeaderChanges(signal, () => leader, 'n1', forward, performance.now() + 10_000);
    leader = null;
    signal.fire();
    answer('ok');
    expect(await r).toBe('ok');
  });

  it('leaves a forward to its own deadline when nothing changes', async () => {
    const signal = new ChangeSignal();
    const r = unlessLeaderChanges(signal, () => 'n1', 'n1', new Promise<string>((resolve) => setTimeout(() => resolve('late'), 50)), performance.now() + 10_000);
    expect(await r).toBe('late');
  });
});
