import { afterEach, describe, expect, it } from 'vitest';
import { startMetrics, PROMETHEUS_CONTENT_TYPE, type MetricsPipeline } from './metrics-source.js';
import { createHttpMetrics, createNodeMetrics } from './node-metrics.js';
import type { VaultMetricsJson } from './vault-json.js';

let pipeline: MetricsPipeline | undefined;
afterEach(async () => {
  await pipeline?.shutdown();
  pipeline = undefined;
});

async function recorded(): Promise<MetricsPipeline> {
  const p = await startMetrics();
  pipeline = p;
  let sealed = true;
  const node = createNodeMetrics(
    {
      term: () => 7,
      role: () => 'leader',
      commitIndex: () => 42,
      appliedIndex: () => 41,
      proposalsInFlight: () => 0,
      followerLag: () => [{ peer: 'n2', entries: 1, ms: 3 }],
      eventLoopDelayP99Ms: () => 1.5,
      isSealed: () => sealed,
    },
    p.meter('coffer-node'),
  );
  node.leaderChanged();
  node.handleDone('update', 200, 4, true);
  node.handleDone('read', 404, 1, false);
  node.forwardDone('ok');
  node.forwardDone('unavailable');
  const http = createHttpMetrics(p.meter('coffer-gateway'));
  http.requestDone('update', 204, 12);
  http.requestDone('update', 200, 30);
  http.requestDone('read', 'unavailable', 1200);
  sealed = false;
  return p;
}

/** Every sample line of the text exposition format: name{labels} value. */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;

describe('sys/metrics source', () => {
  it('renders parseable Prometheus text with the raft, request, forward and seal metrics', async () => {
    const p = await recorded();
    const out = await p.render('prometheus');
    expect(out.contentType).toBe(PROMETHEUS_CONTENT_TYPE);
    const text = new TextDecoder().decode(out.body);
    const samples = new Map<string, string[]>();
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const m = SAMPLE.exec(line);
      expect(m, `unparseable line: ${line}`).not.toBeNull();
      const name = m?.[1] ?? '';
      samples.set(name, [...(samples.get(name) ?? []), line]);
    }
    const one = (name: string): string => (samples.get(name) ?? []).join('\n');
    expect(one('coffer_raft_term')).toMatch(/ 7$/);
    expect(one('coffer_raft_commit_index')).toMatch(/ 42$/);
    expect(one('coffer_raft_applied_index')).toMatch(/ 41$/);
    expect(one('coffer_raft_leader_changes_total')).toMatch(/ 1$/);
    expect(one('coffer_sealed')).toMatch(/ 0$/); // read at collection time, not at set-up
    expect(one('coffer_http_requests_total')).toMatch(/operation="update",status="2xx".* 2$/m);
    expect(one('coffer_http_requests_total')).toMatch(/status="unavailable".* 1$/m);
    expect(one('coffer_http_request_ms_count')).toMatch(/operation="update",status="2xx".* 2$/m);
    expect(one('coffer_http_request_ms_bucket')).toContain('le="25"');
    expect(one('coffer_handle_requests_total')).toMatch(/operation="update",status="2xx",forwarded="true".* 1$/m);
    expect(one('coffer_forwarded_requests_total')).toMatch(/result="ok".* 1$/m);
    expect(one('coffer_follower_lag_entries')).toMatch(/peer="n2".* 1$/m);
  });

  it('renders Vault-shaped JSON: Gauges, Counters, Samples with Name/Value/Labels', async () => {
    const p = await recorded();
    const out = await p.render('json');
    expect(out.contentType).toBe('application/json');
    const j = JSON.parse(new TextDecoder().decode(out.body)) as VaultMetricsJson;
    expect(Number.isNaN(Date.parse(j.Timestamp))).toBe(false);
    expect(j.Gauges).toContainEqual({ Name: 'coffer_raft_term', Value: 7, Labels: {} });
    expect(j.Gauges).toContainEqual({ Name: 'coffer_sealed', Value: 0, Labels: {} });
    expect(j.Counters).toContainEqual({ Name: 'coffer_http_requests_total', Value: 2, Labels: { operation: 'update', status: '2xx' } });
    expect(j.Counters).toContainEqual({ Name: 'coffer_forwarded_requests_total', Value: 1, Labels: { result: 'unavailable' } });
    const sample = j.Samples.find((s) => s.Name === 'coffer_http_request_ms' && s.Labels['status'] === '2xx');
    expect(sample).toMatchObject({ Count: 2, Sum: 42, Min: 12, Max: 30, Mean: 21, Labels: { operation: 'update' } });
  });
});
