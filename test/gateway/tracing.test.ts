/**
 * Tracing across the request path, on three real nodes in this process (`runServer`: LevelDB,
 * gRPC on loopback, embedded HTTP gateways), with an in-memory span exporter registered here.
 * A KV write sent to a STANDBY's gateway must yield ONE trace:
 *
 *   coffer.http.request (gateway, SERVER)
 *     └ coffer.node.handle (standby, SERVER; parent read from the gRPC metadata)
 *         └ coffer.node.forward (standby, CLIENT)
 *             └ coffer.node.handle (leader, SERVER, forwarded; parent from the metadata again)
 *                 └ coffer.node.commit (leader: log index, persisted/committed/applied)
 *
 * and no span may carry the secret value, the token, the request body or the secret's name.
 * The nodes' metrics (what sys/metrics renders) must count the forward and the handled requests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '@coffer/base';
import { parseServerArgs, runServer, type RunningServer } from '@coffer/cli';
import { SPANS, spanToJson } from '@coffer/telemetry';
import { freePort, waitFor } from '../cluster/harness.js';

const IDS = ['n1', 'n2', 'n3'] as const;
const SENTINEL = 'sentinel-value-5f1c0e9b7d';
const SECRET_NAME = 'trace-app-db';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const root = mkdtempSync(join(tmpdir(), 'coffer-tracing-'));
const servers = new Map<string, RunningServer>();
const apiUrl = new Map<string, string>();
let rootToken = '';

async function call(id: string, method: string, path: string, body?: unknown, token = ''): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${apiUrl.get(id)}/v1/${path}`, {
    method,
    headers: token === '' ? {} : { 'X-Vault-Token': token },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

function roles(): { leader: string; standby: string } | undefined {
  const leader = IDS.find((id) => servers.get(id)?.runtime.roleNow() === 'leader');
  const standby = IDS.find((id) => id !== leader && servers.get(id)?.runtime.leaderNow() === leader);
  return leader !== undefined && standby !== undefined ? { leader, standby } : undefined;
}

beforeAll(async () => {
  // Registered before any node starts: the W3C propagator and the AsyncLocalStorage context manager.
  provider.register();
  const ports = new Map<string, { cluster: number; api: number }>();
  for (const id of IDS) ports.set(id, { cluster: await freePort(), api: await freePort() });
  const bootstrap = IDS.map((id) => `${id}=127.0.0.1:${ports.get(id)?.cluster}`).join(',');
  for (const id of IDS) {
    const p = ports.get(id);
    const parsed = parseServerArgs([
      '--node-id', id, '--data-dir', join(root, id), '--cluster-id', 'tracing', '--cluster-address', `127.0.0.1:${p?.cluster}`,
      '--api-address', `127.0.0.1:${p?.api}`, '--bootstrap', bootstrap, '--election-ticks', '12',
    ]);
    if (!parsed.ok) throw new Error(parsed.error.message);
    servers.set(id, await runServer(parsed.value, nullLogger));
    apiUrl.set(id, `http://127.0.0.1:${p?.api}`);
  }
  await waitFor('a leader known to a standby', 20_000, roles);
  const init = await call(IDS[0], 'PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
  expect(init.status).toBe(200);
  const key = (init.json['keys'] as string[])[0] ?? '';
  rootToken = String(init.json['root_token']);
  for (const id of IDS) {
    await waitFor(`${id} sees init`, 10_000, async () => ((await call(id, 'GET', 'sys/init')).json['initialized'] === true ? true : undefined));
    expect((await call(id, 'PUT', 'sys/unseal', { key })).json['sealed']).toBe(false);
  }
});

afterAll(async () => {
  for (const s of servers.values()) await s.stop();
  await provider.shutdown();
  rmSync(root, { recursive: true, force: true });
});

const attr = (s: ReadableSpan, k: string): unknown => s.attributes[k];
const spanId = (s: ReadableSpan | undefined): string | undefined => s?.spanContext().spanId;

describe('tracing through gateway -> standby -> leader -> commit', () => {
  it('puts a KV write sent to a standby into one trace with the forward and the commit', async () => {
    // Three nodes share this process's event loop, so a leader change during the write happens
    // now and then: the request is then rerouted (still one trace, checked below), not a tracing
    // failure. Up to 5 writes are tried until one takes the standby -> leader path undisturbed.
    for (let attempt = 1; attempt <= 5; attempt++) {
      const { leader, standby } = await waitFor('leader and standby', 10_000, roles);
      exporter.reset();
      const w = await call(standby, 'POST', `secret/data/${SECRET_NAME}`, { data: { password: `${SENTINEL}-${attempt}` } }, rootToken);
      expect(w.status).toBe(200);
      const isHttp = (s: ReadableSpan): boolean => s.name === SPANS.httpRequest && attr(s, 'coffer.route') === 'secret/data/*';
      const spans = await waitFor('the gateway span', 5_000, () => (exporter.getFinishedSpans().some(isHttp) ? exporter.getFinishedSpans() : undefined));
      const http = spans.find(isHttp);
      const inTrace = spans.filter((s) => s.spanContext().traceId === http?.spanContext().traceId);
      // On failure: the trace as a list (names, ids, attributes), to see where it broke.
      const tree = inTrace.map((s) => `${s.name} ${spanId(s)}<-${s.parentSpanContext?.spanId ?? '-'} ${JSON.stringify(s.attributes)} ${s.events.map((e) => e.name).join(',')}`).join('\n');
      const childOf = (parent: ReadableSpan | undefined, name: string, extra: (s: ReadableSpan) => boolean = () => true): ReadableSpan | undefined =>
        inTrace.find((s) => s.name === name && s.parentSpanContext?.spanId === spanId(parent) && extra(s));

      // ONE trace: every span of this request is in it, and each one's parent is too (but the root).
      const ofRequest = spans.filter((s) => attr(s, 'coffer.route') === 'secret/data/*' || s.name === SPANS.forward || s.name === SPANS.commit);
      expect(ofRequest.filter((s) => !inTrace.includes(s)), tree).toEqual([]);
      expect(http?.parentSpanContext).toBeUndefined();
      const ids = new Set(inTrace.map(spanId));
      expect(inTrace.filter((s) => s !== http && !ids.has(s.parentSpanContext?.spanId)), tree).toEqual([]);
      expect(attr(http!, 'coffer.operation')).toBe('update');
      expect(attr(http!, 'http.response.status_code')).toBe(200);
      const standbyHandle = childOf(http, SPANS.handle, (s) => attr(s, 'coffer.node_id') === standby);
      expect(standbyHandle, tree).toBeDefined();
      expect(attr(standbyHandle!, 'coffer.forwarded')).toBe(false);
      // Nothing secret anywhere in any exported span: value, token, body, secret name.
      const dump = JSON.stringify(spans.map((s) => ({ ...spanToJson(s), links: s.links, resource: s.resource.attributes })));
      for (const forbidden of [SENTINEL, rootToken, SECRET_NAME, '"password"']) expect(dump).not.toContain(forbidden);

      const served = inTrace.find((s) => s.name === SPANS.handle && attr(s, 'coffer.forwarded') === true && attr(s, 'http.response.status_code') === 200);
      const forward = inTrace.find((s) => spanId(s) === served?.parentSpanContext?.spanId);
      if (served === undefined || attr(served, 'coffer.node_id') !== leader || forward?.parentSpanContext?.spanId !== spanId(standbyHandle)) continue; // rerouted
      expect(forward?.name).toBe(SPANS.forward);
      expect(attr(forward!, 'http.response.status_code')).toBe(200);
      const commit = childOf(served, SPANS.commit);
      expect(commit, tree).toBeDefined();
      expect(attr(commit!, 'coffer.log_index')).toBeGreaterThan(0);
      expect(commit?.events.map((e) => e.name)).toEqual(['persisted', 'committed', 'applied']);

      // The same request in the nodes' metrics (what sys/metrics serves).
      const text = async (id: string): Promise<string> => new TextDecoder().decode((await servers.get(id)!.metrics('prometheus')).body);
      expect(await text(standby)).toMatch(/^coffer_forwarded_requests_total\{result="ok"[^}]*\} [1-9]/m);
      expect(await text(leader)).toMatch(/^coffer_handle_requests_total\{operation="update",status="2xx",forwarded="true"[^}]*\} [1-9]/m);
      expect(await text(leader)).toMatch(/^coffer_sealed(\{[^}]*\})? 0$/m);
      return;
    }
    throw new Error('5 writes in a row met a leader change: the cluster never stayed stable for one write');
  });

  it('serves the node metrics at GET /v1/sys/metrics (Prometheus text and Vault JSON)', async () => {
    const { standby } = await waitFor('leader and standby', 10_000, roles);
    const prom = await fetch(`${apiUrl.get(standby)}/v1/sys/metrics?format=prometheus`, { headers: { 'X-Vault-Token': rootToken }, signal: AbortSignal.timeout(10_000) });
    expect(prom.status).toBe(200);
    expect(prom.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await prom.text();
    // Every node's gateway and Handle served at least the GET sys/init and the unseal.
    for (const name of ['coffer_raft_term', 'coffer_raft_applied_index', 'coffer_http_requests_total', 'coffer_handle_requests_total', 'coffer_sealed']) {
      expect(body).toMatch(new RegExp(`^${name}(\\{[^}]*\\})? \\d`, 'm'));
    }
    const json = await call(standby, 'GET', 'sys/metrics', undefined, rootToken);
    expect(json.status).toBe(200);
    expect(json.json['Gauges']).toContainEqual(expect.objectContaining({ Name: 'coffer_sealed', Value: 0 }));
    expect(json.json['Counters']).toContainEqual(expect.objectContaining({ Name: 'coffer_http_requests_total', Labels: { operation: 'update', status: '2xx' } }));
  });
});
