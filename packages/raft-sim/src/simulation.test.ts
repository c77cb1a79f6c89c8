import { describe, expect, it } from 'vitest';
import { DEFAULT_STEPS } from './defaults.js';
import { runSimulation } from './simulation.js';
import { runSweep } from './sweep.js';

describe('runSimulation', () => {
  it('replays a seed event for event: two runs with a trace are identical', () => {
    // Seed 7 draws a storm (drops, duplicates, delays, crashes, disk latency, drift, snapshots).
    const a = runSimulation({ seed: 7, steps: DEFAULT_STEPS, trace: true });
    const b = runSimulation({ seed: 7, steps: DEFAULT_STEPS, trace: true });
    expect(a.faults.length).toBeGreaterThan(3);
    expect(a.trace.length).toBeGreaterThan(1000);
    expect(b.trace.join('\n')).toBe(a.trace.join('\n'));
    expect(b.events).toBe(a.events);
  });

  it('a calm run makes progress: ops complete, the history is checked and linearizable', () => {
    const r = runSimulation({ seed: 1, steps: DEFAULT_STEPS, faults: [] });
    expect(r.violations).toEqual([]);
    expect(r.completedOps).toBeGreaterThan(50);
    expect(r.linearizability).toBe('linearizable');
  });

  it('different seeds take different paths', () => {
    const a = runSimulation({ seed: 11, steps: 500, trace: true });
    const b = runSimulation({ seed: 12, steps: 500, trace: true });
    expect(a.trace.join('\n')).not.toBe(b.trace.join('\n'));
  });
});

describe('the sweep of the correct core', () => {
  it('finds no violation over 200 seeds with every fault available', () => {
    const report = runSweep({ startSeed: 1, seeds: 200, steps: DEFAULT_STEPS });
    const summary = report.failures.map((f) => `seed ${f.seed}: ${f.violations[0]?.invariant}: ${f.violations[0]?.message}`);
    expect(summary).toEqual([]);
    expect(report.seedsRun).toBe(200);
    // The workload really ran: thousands of client ops went through the checkers.
    expect(report.completedOps).toBeGreaterThan(5000);
  }, 120_000);
});
