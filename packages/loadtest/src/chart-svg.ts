/**
 * The latency-over-time chart of a report as inline SVG (no script, no CDN): one dot per op
 * (sampled above MAX_POINTS), p50 and p99 lines with the band between them per time bucket, error
 * marks, a throughput panel below, and each fault as a labelled vertical line with its down period
 * shaded, so the shape of a failover reads at a glance. Class names are the test's handles.
 */
import { percentile } from './stats.js';
import type { LoadtestReport } from './report.js';
import type { OpRecord } from './types.js';

const W = 1100;
const LEFT = 64;
const RIGHT = 56;
const LAT_TOP = 28;
const LAT_H = 300;
const TP_TOP = LAT_TOP + LAT_H + 36;
const TP_H = 110;
const H = TP_TOP + TP_H + 34;
const MAX_POINTS = 20_000;
const KIND_COLOUR: Readonly<Record<string, string>> = { write: '#1f77b4', read: '#2ca02c', encrypt: '#9467bd' };

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** The smallest bucket (100 ms to 60 s) giving at most 600 buckets and about 10 ops per bucket. */
export function chooseBucketMs(spanMs: number, opCount: number): number {
  for (const b of [100, 200, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000]) {
    if (spanMs / b <= 600 && (opCount * b) / spanMs >= 10) return b;
  }
  return 60_000;
}

export function renderChartSvg(r: LoadtestReport): string {
  const ops = r.ops.filter((o) => o.clientId !== 'final');
  const spanMs = ops.reduce((m, o) => Math.max(m, o.invokeMs), Math.max(1000, r.endMs));
  const x = (ms: number): number => LEFT + (ms / spanMs) * (W - LEFT - RIGHT);
  const lat = (o: OpRecord): number => Math.max(0.1, o.completeMs - o.invokeMs);
  const okOps = ops.filter((o) => o.outcome === 'ok');
  const maxLat = ops.reduce((m, o) => Math.max(m, lat(o)), 1);
  const yMinExp = Math.floor(Math.log10(Math.max(0.1, okOps.reduce((m, o) => Math.min(m, lat(o)), 1))));
  const yMaxExp = Math.max(yMinExp + 1, Math.ceil(Math.log10(maxLat)));
  const y = (ms: number): number => LAT_TOP + LAT_H - ((Math.log10(Math.max(ms, 10 ** yMinExp)) - yMinExp) / (yMaxExp - yMinExp)) * LAT_H;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" id="latency-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect x="${LEFT}" y="${LAT_TOP}" width="${W - LEFT - RIGHT}" height="${LAT_H}" fill="#fafafa" stroke="#ccc"/>`);
  out.push(`<rect x="${LEFT}" y="${TP_TOP}" width="${W - LEFT - RIGHT}" height="${TP_H}" fill="#fafafa" stroke="#ccc"/>`);
  if (r.measureStartMs > 0) out.push(`<rect class="warmup" x="${LEFT}" y="${LAT_TOP}" width="${f(x(r.measureStartMs) - LEFT)}" height="${LAT_H}" fill="#eee"><title>warm-up (not measured)</title></rect>`);
  // Axes: log latency on the left, seconds along the bottom of both panels.
  for (let e = yMinExp; e <= yMaxExp; e++) {
    const v = 10 ** e;
    out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#e4e4e4"/><text x="${LEFT - 6}" y="${f(y(v) + 4)}" text-anchor="end">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`);
  }
  const tickS = niceStep(spanMs / 1000 / 12);
  for (let s = 0; s * 1000 <= spanMs; s += tickS) {
    out.push(`<line x1="${f(x(s * 1000))}" x2="${f(x(s * 1000))}" y1="${TP_TOP + TP_H}" y2="${TP_TOP + TP_H + 4}" stroke="#888"/><text x="${f(x(s * 1000))}" y="${TP_TOP + TP_H + 16}" text-anchor="middle">${s} s</text>`);
  }
  out.push(`<text x="${LEFT}" y="${LAT_TOP - 10}" font-weight="bold">latency per op (log scale): dots = ops, lines = p50 / p99 per ${chooseBucketMs(spanMs, okOps.length)} ms</text>`);
  out.push(`<text x="${LEFT}" y="${TP_TOP - 8}" font-weight="bold">acknowledged ops/s (line), errors/s (red bars)</text>`);

  // Points: every op up to MAX_POINTS, else an even sample of the successes plus every error.
  const step = Math.max(1, Math.ceil(okOps.length / MAX_POINTS));
  out.push('<g class="points">');
  okOps.forEach((o, i) => {
    if (i % step === 0) out.push(`<circle class="op" cx="${f(x(o.invokeMs))}" cy="${f(y(lat(o)))}" r="1.4" fill="${KIND_COLOUR[o.kind] ?? '#333'}" fill-opacity="0.45"/>`);
  });
  for (const o of ops.filter((e) => e.outcome !== 'ok').slice(0, 5000)) {
    const cx = x(o.invokeMs);
    const cy = y(lat(o));
    out.push(`<path class="op-error" d="M${f(cx - 3)},${f(cy - 3)}L${f(cx + 3)},${f(cy + 3)}M${f(cx - 3)},${f(cy + 3)}L${f(cx + 3)},${f(cy - 3)}" stroke="#d62728" stroke-width="1.2"><title>${escapeXml(`${o.kind} ${o.error ?? ''} on ${o.node}`)}</title></path>`);
  }
  out.push('</g>');

  // p50/p99 per bucket, by invoke time.
  const bucketMs = chooseBucketMs(spanMs, okOps.length);
  const buckets = new Map<number, number[]>();
  for (const o of okOps) {
    const b = Math.floor(o.invokeMs / bucketMs);
    const list = buckets.get(b);
    if (list === undefined) buckets.set(b, [lat(o)]);
    else list.push(lat(o));
  }
  const rows = [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([b, l]) => {
    const s = l.sort((p, q) => p - q);
    return { cx: x((b + 0.5) * bucketMs), p50: percentile(s, 50), p99: percentile(s, 99) };
  });
  if (rows.length > 0) {
    const band = [...rows.map((b) => `${f(b.cx)},${f(y(b.p99))}`), ...[...rows].reverse().map((b) => `${f(b.cx)},${f(y(b.p50))}`)].join(' ');
    out.push(`<polygon class="band" points="${band}" fill="#ff7f0e" fill-opacity="0.15"/>`);
    out.push(`<polyline class="p50" points="${rows.map((b) => `${f(b.cx)},${f(y(b.p50))}`).join(' ')}" fill="none" stroke="#333" stroke-width="1.5"/>`);
    out.push(`<polyline class="p99" points="${rows.map((b) => `${f(b.cx)},${f(y(b.p99))}`).join(' ')}" fill="none" stroke="#ff7f0e" stroke-width="1.5"/>`);
  }

  // Throughput (acknowledged, per second of the measured run) and errors per second.
  const tp = r.summary.throughputPerSecond;
  const errPerS = new Array<number>(tp.length).fill(0);
  for (const o of ops) {
    const i = Math.floor((o.completeMs - r.measureStartMs) / 1000);
    if (o.outcome !== 'ok' && i >= 0 && i < errPerS.length) errPerS[i] = (errPerS[i] ?? 0) + 1;
  }
  const tpMax = [...tp, ...errPerS].reduce((m, v) => Math.max(m, v), 1);
  const ty = (v: number): number => TP_TOP + TP_H - (v / tpMax) * (TP_H - 6);
  out.push(`<text x="${W - RIGHT + 4}" y="${TP_TOP + 10}">${tpMax}/s</text><text x="${W - RIGHT + 4}" y="${TP_TOP + TP_H}">0</text>`);
  errPerS.forEach((n, i) => {
    if (n > 0) out.push(`<rect class="error-bar" x="${f(x(r.measureStartMs + i * 1000))}" y="${f(ty(n))}" width="${f(x(1000) - x(0))}" height="${f(TP_TOP + TP_H - ty(n))}" fill="#d62728" fill-opacity="0.35"/>`);
  });
  if (tp.length > 0) out.push(`<polyline class="throughput" points="${tp.map((v, i) => `${f(x(r.measureStartMs + i * 1000 + 500))},${f(ty(v))}`).join(' ')}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`);

  // Leader changes: ticks above the latency panel.
  let lastLeader: string | null = null;
  for (const s of r.leaders) {
    if (s.leader === null) continue;
    if (lastLeader !== null && s.leader !== lastLeader) out.push(`<g class="leader-change"><path d="M${f(x(s.atMs))},${LAT_TOP}l-4,-7h8z" fill="#2ca02c"/><title>${escapeXml(`leader ${s.leader} at ${(s.atMs / 1000).toFixed(2)} s`)}</title></g>`);
    lastLeader = s.leader;
  }

  // Faults: a line through both panels, the down period shaded, a label.
  r.faults.forEach((fr, i) => {
    const fx = x(fr.injectMs);
    const label = `${fr.kind} ${fr.node || '?'}`;
    out.push(`<g class="fault-marker" data-kind="${escapeXml(fr.kind)}" data-node="${escapeXml(fr.node)}" data-at-ms="${fr.injectMs.toFixed(0)}">`);
    if (fr.recoverMs !== null) out.push(`<rect class="fault-down" x="${f(fx)}" y="${LAT_TOP}" width="${f(Math.max(1, Math.min(x(fr.recoverMs), W - RIGHT) - fx))}" height="${TP_TOP + TP_H - LAT_TOP}" fill="#d62728" fill-opacity="0.07"/>`);
    out.push(`<line class="fault-line" x1="${f(fx)}" x2="${f(fx)}" y1="${LAT_TOP}" y2="${TP_TOP + TP_H}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="5,3"/>`);
    out.push(`<text class="fault-label" x="${f(fx + 3)}" y="${LAT_TOP + 12 + (i % 3) * 12}" fill="#d62728">${escapeXml(label)}${fr.error === undefined ? '' : ' (failed)'}</text>`);
    out.push(`<title>${escapeXml(`${label} at ${(fr.injectMs / 1000).toFixed(2)} s${fr.recoverMs === null ? '' : `, back at ${(fr.recoverMs / 1000).toFixed(2)} s`}${fr.error === undefined ? '' : `: ${fr.error}`}`)}</title></g>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

function f(v: number): string {
  return v.toFixed(1);
}

function niceStep(raw: number): number {
  for (const s of [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600]) if (s >= raw) return s;
  return 3600;
}
