/**
 * `npm run bench:dr`: the DR drill (test/dr/drill-run.ts) with a longer steady write load, on two
 * real 3-node clusters on loopback, `--runs` times; prints each run's figures and the median and
 * range of each: replication lag (entries, ms: p50/p99 of status samples under load), RPO at the
 * SIGKILL of every primary node (acknowledged writes missing on the promoted secondary, and the
 * age of the oldest one), RTO (promote call to the first acknowledged write), and the catch-up
 * times. Every step of the drill asserts what it checks; a failed step fails the run (exit 1).
 * The last line, `bench-result {json}`, is for machines.
 *
 * Options: --seconds N (steady load, default 30), --writers N (default 8), --runs N (default 3).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDrill, type DrillFigures, type DrillSites } from '../test/dr/drill-run.js';
import { parseOptions } from './bench/args.js';
import { runBench, trackDir, trackProcs } from './bench/reaper.js';

const USAGE = 'usage: dr-drill.ts [--seconds 30] [--writers 8] [--runs 3]';

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

runBench('dr-drill', async () => {
  const o = parseOptions(process.argv.slice(2), { seconds: 30, writers: 8, runs: 3 }, USAGE);
  const runs: DrillFigures[] = [];
  for (let run = 1; run <= o.runs; run++) {
    const sites: DrillSites = {};
    trackProcs(() => [sites.P, sites.S].flatMap((s) => (s === undefined ? [] : [...s.cluster.nodes.values()].map((n) => n.proc))));
    try {
      const t0 = performance.now();
      const f = await runDrill({ loadMs: o.seconds * 1000, writers: o.writers, rpoBoundMs: 3_000, log: (l) => process.stdout.write(`[run ${run}] ${l}\n`) }, sites);
      process.stdout.write(`[run ${run}] figures ${JSON.stringify(f)} (drill ${Math.round((performance.now() - t0) / 1000)} s)\n`);
      runs.push(f);
    } catch (e) {
      // The nodes' last log lines, for the post-mortem (the clusters are removed below).
      const file = join(tmpdir(), `dr-drill-run${run}-${Date.now()}.log`);
      writeFileSync(file, [sites.P, sites.S].map((s) => (s === undefined ? '' : `=== ${s.name}\n${[...s.cluster.nodes.values()].map((n) => `--- ${n.id}\n${n.logTail.join('\n')}`).join('\n')}`)).join('\n'));
      process.stderr.write(`dr-drill: node logs in ${file}\n`);
      throw e;
    } finally {
      for (const s of [sites.P, sites.S]) {
        if (s === undefined) continue;
        trackDir(s.cluster.root);
        await s.cluster.close();
      }
    }
  }
  const rows: [string, (f: DrillFigures) => number][] = [
    ['writes acknowledged during the steady load', (f) => f.writesDuringLoad],
    ['lag entries p50', (f) => f.lagEntries.p50],
    ['lag entries p99', (f) => f.lagEntries.p99],
    ['lag ms p50', (f) => f.lagMs.p50],
    ['lag ms p99', (f) => f.lagMs.p99],
    ['lag ms max', (f) => f.lagMs.max],
    ['writes acknowledged before the kill', (f) => f.ackedBeforeKill],
    ['RPO: acknowledged writes missing after promote', (f) => f.missingAfterPromote],
    ['RPO: ms of acknowledged writes lost', (f) => f.rpoMs],
    [`missing writes acknowledged > 3 s before the kill`, (f) => f.missingOlderThanBound.count],
    ['RTO: promote call -> first acknowledged write, ms', (f) => f.rtoMs],
    ['promote call, ms', (f) => f.promoteCallMs],
    ['secondary back online -> caught up (snapshot), ms', (f) => f.catchUpAfterOfflineMs],
    ['failback: update-primary -> caught up, ms', (f) => f.failbackCatchUpMs],
  ];
  process.stdout.write(`\nDR drill, ${o.runs} run(s), ${o.seconds} s steady load, ${o.writers} writers, 3+3 nodes on loopback\n`);
  for (const [name, get] of rows) {
    const xs = runs.map(get);
    process.stdout.write(`${name.padEnd(52)} median ${String(median(xs)).padStart(8)}   range ${Math.min(...xs)} - ${Math.max(...xs)}\n`);
  }
  process.stdout.write(`bench-result ${JSON.stringify({ options: o, runs })}\n`);
  return 0;
});
