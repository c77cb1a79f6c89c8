/** The HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched). */
import { escapeXml, renderChartSvg } from './chart-svg.js';
import type { LoadtestReport } from './report.js';
import type { LatencySummary } from './stats.js';

export function renderHtml(r: LoadtestReport): string {
  const s = r.summary;
  const lin = r.verdicts.linearizability;
  const dur = r.verdicts.durability;
  const fo = r.options.failover;
  const verdict = (name: string, v: string, detail: string): string =>
    `<div class="verdict ${v}" data-verdict="${name}"><b>${name}: ${v.toUpperCase()}</b> <span>${escapeXml(detail)}</span></div>`;
  const latRows = (Object.entries(s.latency) as [string, LatencySummary][])
    .map(([k, l]) => `<tr><td>${k}</td><td>${l.count}</td><td>${l.p50Ms}</td><td>${l.p95Ms}</td><td>${l.p99Ms}</td><td>${l.maxMs}</td></tr>`)
    .join('');
  const faultRows = s.faults
    .map(
      (w) =>
        `<tr><td>${escapeXml(w.kind)}</td><td>${escapeXml(w.node)}</td><td>${(w.injectMs / 1000).toFixed(2)}</td><td>${w.recoverMs === null ? '-' : (w.recoverMs / 1000).toFixed(2)}</td>` +
        `<td>${w.latency.p50Ms}</td><td>${w.latency.p95Ms}</td><td>${w.latency.p99Ms}</td><td>${w.latency.maxMs}</td><td>${w.errors}</td><td>${w.availabilityGapMs}</td><td>${w.leaderChanges}</td><td>${escapeXml(w.error ?? '')}</td></tr>`,
    )
    .join('');
  const sample = new Map<string, string>();
  for (const o of r.ops) if (o.error !== undefined && o.errorDetail !== undefined && !sample.has(`${o.kind}:${o.error}`)) sample.set(`${o.kind}:${o.error}`, o.errorDetail);
  const errors = Object.entries(s.errorsByKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `<tr><td>${escapeXml(k)}</td><td>${n}</td><td style="text-align:left">${escapeXml(sample.get(k) ?? '')}</td></tr>`)
    .join('');
  const violations = dur.violations.slice(0, 50).map((v) => `<li>key ${escapeXml(v.key)}: ${escapeXml(v.reason)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>coffer loadtest ${escapeXml(r.startedAt)}</title>
<style>
body{font-family:sans-serif;margin:20px;color:#222} table{border-collapse:collapse;margin:8px 0 16px} td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left} th{background:#f3f3f3} .verdict{padding:6px 10px;margin:4px 0;border-radius:4px}
.pass{background:#e6f4e6} .fail{background:#fde2e2} .unknown{background:#fff3cd} h2{font-size:16px;margin-top:24px}
</style></head><body>
<h1>coffer loadtest</h1>
<p>${escapeXml(r.startedAt)}: ${r.nodes.length} node(s), ${r.options.workload.clients} clients, ${s.measuredSeconds.toFixed(1)} s measured after ${(r.options.workload.warmupMs / 1000).toFixed(1)} s warm-up;
failover <b>${escapeXml(fo.kinds.length === 0 ? 'none' : fo.kinds.join(', '))}</b>${fo.kinds.length === 0 ? '' : ` every ${fo.everyMs / 1000} s (down ${fo.downForMs / 1000} s)`};
${s.measuredOps} ops, ${s.throughputOpsPerS.toFixed(1)} acknowledged ops/s, ${s.leaderChanges} leader change(s). Exit code ${r.exitCode}.</p>
${verdict('linearizability', lin.verdict, `${lin.opsChecked} ops over ${lin.keysChecked} keys in ${lin.elapsedMs} ms${lin.details === undefined ? '' : `: ${lin.details}`}`)}
${verdict('durability', dur.verdict, `${dur.acknowledgedWrites} acknowledged writes, ${dur.keysChecked} keys read back${dur.unreadKeys.length > 0 ? `, ${dur.unreadKeys.length} unread` : ''}`)}
${violations === '' ? '' : `<ul>${violations}</ul>`}
<h2>Latency over time</h2>
${renderChartSvg(r)}
<h2>Latency (ms, acknowledged ops)</h2>
<table><tr><th>op</th><th>count</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr>${latRows}</table>
<h2>Faults (windows: ops invoked from 1 s before to 5 s after)</h2>
${faultRows === '' ? '<p>none</p>' : `<table id="faults"><tr><th>fault</th><th>node</th><th>at s</th><th>back s</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th>errors</th><th>no-write gap ms</th><th>leader changes</th><th>error</th></tr>${faultRows}</table>`}
<h2>Errors by kind</h2>
${errors === '' ? '<p>none</p>' : `<table><tr><th>op:error</th><th>count</th><th>first message</th></tr>${errors}</table>`}
</body></html>
`;
}
