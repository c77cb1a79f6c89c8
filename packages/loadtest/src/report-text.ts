/** The terminal summary of a report: a few aligned tables, no colour (it may go to a file). */
import type { LatencySummary } from './stats.js';
import type { LoadtestReport } from './report.js';

export function renderSummary(r: LoadtestReport): string {
  const s = r.summary;
  const lines: string[] = [];
  const fo = r.options.failover;
  lines.push(
    `coffer loadtest: ${r.nodes.length} node(s), ${r.options.workload.clients} clients, ${s.measuredSeconds.toFixed(1)} s measured, ` +
      `failover ${fo.kinds.length === 0 ? 'none' : `${fo.kinds.join(',')} every ${fo.everyMs / 1000} s`}`,
  );
  lines.push(`  ${s.measuredOps} ops, ${s.throughputOpsPerS.toFixed(1)} ops/s acknowledged, ${s.leaderChanges} leader change(s)`);
  lines.push('');
  const latRows: string[][] = [['latency (ms)', 'count', 'p50', 'p95', 'p99', 'max']];
  for (const [name, l] of Object.entries(s.latency) as [string, LatencySummary][]) latRows.push([name, String(l.count), f(l.p50Ms), f(l.p95Ms), f(l.p99Ms), f(l.maxMs)]);
  lines.push(...table(latRows));
  if (s.faults.length > 0) {
    lines.push('');
    const rows: string[][] = [['fault', 'node', 'at s', 'back s', 'p50', 'p99', 'max', 'errors', 'no-write gap ms', 'leader chg']];
    for (const w of s.faults) {
      rows.push([
        w.kind + (w.error === undefined ? '' : ' (!)'), w.node || '-', (w.injectMs / 1000 - r.measureStartMs / 1000).toFixed(1),
        w.recoverMs === null ? '-' : (w.recoverMs / 1000 - r.measureStartMs / 1000).toFixed(1),
        f(w.latency.p50Ms), f(w.latency.p99Ms), f(w.latency.maxMs), String(w.errors), f(w.availabilityGapMs), String(w.leaderChanges),
      ]);
    }
    lines.push(...table(rows));
    for (const w of s.faults) if (w.error !== undefined) lines.push(`  (!) ${w.kind} on ${w.node || '?'}: ${w.error}`);
  }
  const errs = Object.entries(s.errorsByKind).sort((a, b) => b[1] - a[1]);
  lines.push('', errs.length === 0 ? 'errors: none' : `errors: ${errs.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const firstMessage = new Map<string, string>();
  for (const o of r.ops) if (o.errorDetail !== undefined && !firstMessage.has(`${o.kind}:${o.error}`)) firstMessage.set(`${o.kind}:${o.error}`, o.errorDetail);
  for (const [k] of errs.slice(0, 5)) if (firstMessage.has(k)) lines.push(`  ${k}: ${firstMessage.get(k)}`);
  const lin = r.verdicts.linearizability;
  const dur = r.verdicts.durability;
  lines.push(
    `linearizability: ${lin.verdict.toUpperCase()} (${lin.opsChecked} ops over ${lin.keysChecked} keys in ${lin.elapsedMs} ms` +
      `${lin.keysUnknown > 0 ? `, ${lin.keysUnknown} key(s) undecided` : ''})${lin.details === undefined ? '' : `: ${lin.details}`}`,
  );
  lines.push(
    `durability: ${dur.verdict.toUpperCase()} (${dur.acknowledgedWrites} acknowledged writes, ${dur.keysChecked} keys read back` +
      `${dur.unreadKeys.length > 0 ? `, ${dur.unreadKeys.length} key(s) could not be read` : ''})`,
  );
  for (const v of dur.violations.slice(0, 10)) lines.push(`  key ${v.key}: final ${v.finalValue ?? 'absent'}, lost ${v.lostValue ?? '-'}: ${v.reason}`);
  if (dur.violations.length > 10) lines.push(`  ... and ${dur.violations.length - 10} more (see the JSON report)`);
  return `${lines.join('\n')}\n`;
}

function f(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

function table(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((row) => `  ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')}`);
}
