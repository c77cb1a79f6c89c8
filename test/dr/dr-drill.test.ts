/**
 * The DR drill (test/dr/drill-run.ts) with a short load, against two real 3-node clusters: every
 * step asserts what an operator would check (status codes, errors, data), and the figures are
 * checked against loose bounds here (scripts/dr-drill.ts reports them from a longer run).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runDrill, type DrillSites } from './drill-run.js';

const sites: DrillSites = {};
const lines: string[] = [];
let failed = false;

afterAll(async () => {
  if (failed) {
    console.error(lines.join('\n'));
    for (const s of [sites.P, sites.S]) if (s !== undefined) console.error(`=== ${s.name}\n${s.cluster.logs()}`);
  }
  for (const s of [sites.P, sites.S]) await s?.cluster.close();
});

describe('DR replication drill: two 3-node clusters', () => {
  it('enable, stream under load with leader changes, snapshot bootstrap, kill the primary, promote, fail over and back', async () => {
    try {
      const f = await runDrill({ loadMs: 6_000, writers: 4, rpoBoundMs: 3_000, log: (l) => lines.push(l) }, sites);
      lines.push(`DR drill figures: ${JSON.stringify(f)}`);
      console.log(lines[lines.length - 1]);
      expect(f.writesDuringLoad).toBeGreaterThan(50);
      expect(f.lagEntries.samples).toBeGreaterThan(5);
      // Nothing acknowledged more than the bound before the kill is missing on the promoted cluster.
      expect(f.missingOlderThanBound.count).toBe(0);
      expect(f.rpoMs).toBeLessThan(3_000);
      expect(f.rtoMs).toBeLessThan(10_000);
    } catch (e) {
      failed = true;
      throw e;
    }
  }, 600_000);
});
