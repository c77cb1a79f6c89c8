import { describe, expect, it } from 'vitest';
import { checkDurability } from './durability-verdict.js';
import { checkLinearizability } from './linearizability-verdict.js';
import { parseLoadtestArgs } from './options.js';
import { buildReport } from './report.js';
import { renderHtml } from './report-html.js';
import { renderSummary } from './report-text.js';
import type { FaultRecord, OpRecord } from './types.js';

function report(records: OpRecord[], faults: FaultRecord[]) {
  const o = parseLoadtestArgs(['--spawn', '3', '--duration', '4s', '--failover', 'kill', '--every', '2s', '--token', 'hvs.secret-token']);
  if (!o.ok) throw new Error(o.error.message);
  const limits = { stepsPerKey: 10_000, timeLimitMs: 1000, nowMs: () => 0 };
  return buildReport({
    startedAt: '2026-01-01T00:00:00.000Z', options: o.value, nodes: [{ id: 'n1', apiUrl: 'http://127.0.0.1:1' }], measureStartMs: 0, endMs: 4000,
    records, faults, leaders: [{ atMs: 0, leader: 'n1', term: 1 }, { atMs: 2500, leader: 'n2', term: 2 }],
    linearizability: checkLinearizability(records, limits), durability: checkDurability(records, [{ key: 'k1', value: 'c1.2' }]),
  });
}

const w = (value: string, invokeMs: number, completeMs: number): OpRecord => ({ clientId: 'c1', kind: 'write', key: 'k1', value, invokeMs, completeMs, outcome: 'ok', node: 'n1', isWarmup: false });

describe('report', () => {
  it('summarizes, keeps the token out, and renders the terminal table and the HTML', () => {
    const r = report([w('c1.1', 0, 10), w('c1.2', 2100, 2900)], [{ kind: 'kill', node: 'n1', injectMs: 2000, recoverMs: 3000, error: 'recover: <oops>' }]);
    expect(JSON.stringify(r)).not.toContain('secret-token');
    expect(r.exitCode).toBe(0);
    expect(r.summary.faults[0]).toMatchObject({ kind: 'kill', availabilityGapMs: 2890, leaderChanges: 1, errors: 0 });
    const text = renderSummary(r);
    expect(text).toMatch(/linearizability: PASS/);
    expect(text).toMatch(/durability: PASS \(2 acknowledged writes, 1 keys read back\)/);
    expect(text).toMatch(/\(!\) kill on n1: recover: <oops>/);
    const html = renderHtml(r);
    expect(html).toContain('recover: &lt;oops&gt;');
    expect(html).not.toContain('<oops>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)[^"]*\.(js|css)/);
  });

  it('a broken history makes the report exit 1', () => {
    const r = report([w('c1.1', 0, 10), w('c1.2', 20, 30), { ...w('c1.1', 40, 50), kind: 'read', clientId: 'c2' }], []);
    expect(r.verdicts.linearizability.verdict).toBe('fail');
    expect(r.exitCode).toBe(1);
  });
});
