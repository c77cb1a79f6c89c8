/**
 * Multi-process cluster harness: starts `coffer server` processes from the BUILT output
 * (packages/cli/dist/main.js) on 127.0.0.1 with free ports and their own temp data dirs, and
 * drives them through the node API. It can SIGKILL, SIGSTOP/SIGCONT, SIGTERM, restart and wipe.
 * Every wait polls a condition with a bound; nothing sleeps a fixed time to let things settle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from '@coffer/cli';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeApiClient } from '@coffer/node';
import type { StatusResponse__Output } from '@coffer/wire';

export const CLI = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

export interface NodeProc {
  readonly id: string;
  readonly port: number;
  readonly address: string;
  readonly dataDir: string;
  proc: ChildProcess | undefined;
  client: NodeApiClient;
  /** The last stderr lines, printed when a test fails. */
  readonly logTail: string[];
  isPaused: boolean;
  /** The embedded gateway's address, kept across restarts (startWithApi). */
  apiAddress?: string;
}

export interface ClusterOptions {
  /** Mutual TLS between nodes: `ca.crt` and `<node id>.crt/.key` in this folder (test/cluster/certs.ts). */
  readonly tlsDir?: string;
  readonly tickMs?: number;
  readonly electionTicks?: number;
  readonly snapshotThreshold?: number;
  readonly snapshotTrailing?: number;
}

/** A free port for a node (see @coffer/cli's freePort: below the ephemeral range). */
export { freePort };

/** Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined, intervalMs = 20): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Distinguishes clusters made in the same millisecond (a DR drill runs two). */
let clusterSeq = 0;

export class Cluster {
  readonly nodes = new Map<string, NodeProc>();
  readonly root = mkdtempSync(join(tmpdir(), 'coffer-cluster-'));
  readonly clusterId = `c-${process.pid}-${Date.now()}-${(clusterSeq += 1)}`;

  constructor(readonly options: ClusterOptions = {}) {}

  get electionTimeoutMs(): number {
    return (this.options.tickMs ?? 50) * (this.options.electionTicks ?? 6);
  }

  /** Starts `n` founding members n1..nN. */
  async start(n: number): Promise<void> {
    const ids = Array.from({ length: n }, (_, i) => `n${i + 1}`);
    for (const id of ids) this.define(id, await freePort());
    const bootstrap = ids.map((id) => `${id}=${this.node(id).address}`).join(',');
    for (const id of ids) this.spawn(id, ['--bootstrap', bootstrap]);
  }

  /**
   * Starts founding members n1..nN, each with its embedded HTTP gateway (--api-address) on a free
   * port. Resolves with every node's API URL once a leader is elected and each gateway answers
   * sys/health (bounded: on a loaded 2-core machine three node processes take a while to start).
   */
  async startWithApi(n: number, leaderTimeoutMs = 60_000): Promise<Map<string, string>> {
    const ids = Array.from({ length: n }, (_, i) => `n${i + 1}`);
    for (const id of ids) this.define(id, await freePort());
    const bootstrap = ids.map((id) => `${id}=${this.node(id).address}`).join(',');
    const urls = new Map<string, string>();
    for (const id of ids) {
      const port = await freePort();
      urls.set(id, `http://127.0.0.1:${port}`);
      this.node(id).apiAddress = `127.0.0.1:${port}`;
      this.spawn(id, ['--bootstrap', bootstrap]);
    }
    await this.waitForLeader(leaderTimeoutMs);
    for (const [id, url] of urls) {
      await waitFor(`${id} gateway`, 20_000, () => fetch(`${url}/v1/sys/health`, { signal: AbortSignal.timeout(5000) }).then(() => true, () => undefined));
    }
    return urls;
  }

  define(id: string, port: number): NodeProc {
    const address = `127.0.0.1:${port}`;
    const n: NodeProc = { id, port, address, dataDir: join(this.root, id), proc: undefined, client: new NodeApiClient(address, this.clientOptions()), logTail: [], isPaused: false };
    this.nodes.set(id, n);
    return n;
  }

  /** The harness's own node API client: with TLS it presents n1's certificate. */
  private clientOptions(): { credentials?: grpc.ChannelCredentials } {
    const dir = this.options.tlsDir;
    if (dir === undefined) return {};
    return { credentials: grpc.credentials.createSsl(readFileSync(join(dir, 'ca.crt')), readFileSync(join(dir, 'n1.key')), readFileSync(join(dir, 'n1.crt'))) };
  }

  node(id: string): NodeProc {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  spawn(id: string, extra: readonly string[]): void {
    const n = this.node(id);
    const o = this.options;
    const args = [CLI, 'server', '--node-id', id, '--data-dir', n.dataDir, '--cluster-id', this.clusterId, '--cluster-address', n.address, '--unsafe-fault-injection', '--unsafe-raw-kv'];
    if (o.tickMs !== undefined) args.push('--tick-ms', String(o.tickMs));
    if (o.electionTicks !== undefined) args.push('--election-ticks', String(o.electionTicks));
    if (o.snapshotThreshold !== undefined) args.push('--snapshot-threshold', String(o.snapshotThreshold));
    if (o.snapshotTrailing !== undefined) args.push('--snapshot-trailing', String(o.snapshotTrailing));
    // COFFER_NODE_ARGS passes node flags to every server (e.g. --cpu-prof for profiling a bench).
    const nodeArgs = (process.env['COFFER_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
    if (n.apiAddress !== undefined) args.push('--api-address', n.apiAddress);
    if (o.tlsDir !== undefined) args.push('--tls-ca', join(o.tlsDir, 'ca.crt'), '--tls-cert', join(o.tlsDir, `${id}.crt`), '--tls-key', join(o.tlsDir, `${id}.key`));
    const proc = spawn(process.execPath, [...nodeArgs, ...args, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line !== '') n.logTail.push(line);
      if (n.logTail.length > 2000) n.logTail.splice(0, n.logTail.length - 2000);
    });
    n.proc = proc;
    n.isPaused = false;
  }

  /** Restarts a stopped node on its data dir (existing members only). */
  restart(id: string): void {
    const peers = [...this.nodes.values()].map((p) => `${p.id}=${p.address}`).join(',');
    this.spawn(id, ['--join', peers]);
  }

  /** Starts a node that joins the running cluster (the leader must then add it). */
  async join(id: string): Promise<NodeProc> {
    const n = this.nodes.get(id) ?? this.define(id, await freePort());
    const peers = [...this.nodes.values()].map((p) => `${p.id}=${p.address}`).join(',');
    this.spawn(id, ['--join', peers]);
    return n;
  }

  async kill(id: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const n = this.node(id);
    const p = n.proc;
    if (p === undefined || p.exitCode !== null || p.signalCode !== null) return;
    if (n.isPaused) p.kill('SIGCONT');
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill(signal);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    n.proc = undefined;
  }

  pause(id: string): void {
    const n = this.node(id);
    n.proc?.kill('SIGSTOP');
    n.isPaused = true;
  }

  resume(id: string): void {
    const n = this.node(id);
    n.proc?.kill('SIGCONT');
    n.isPaused = false;
  }

  wipe(id: string): void {
    rmSync(this.node(id).dataDir, { recursive: true, force: true });
  }

  isRunning(id: string): boolean {
    const n = this.node(id);
    return n.proc !== undefined && !n.isPaused;
  }

  running(): NodeProc[] {
    return [...this.nodes.values()].filter((n) => this.isRunning(n.id));
  }

  async status(id: string, includeDigest = false): Promise<StatusResponse__Output | undefined> {
    const r = await this.node(id).client.status(1000, includeDigest);
    return r.ok ? r.value : undefined;
  }

  /** A leader that every running node in `among` agrees on. */
  async waitForLeader(timeoutMs = 10_000, among: readonly string[] = this.running().map((n) => n.id)): Promise<string> {
    return waitFor('an agreed leader', timeoutMs, async () => {
      const sts = await Promise.all(among.map((id) => this.status(id)));
      const leaderId = sts[0]?.leader_id;
      if (leaderId === undefined || leaderId === '') return undefined;
      if (!sts.every((s) => s !== undefined && s.leader_id === leaderId)) return undefined;
      const leaderStatus = sts.find((s) => s?.id === leaderId);
      return leaderStatus?.role === 'leader' ? leaderId : undefined;
    });
  }

  /** Waits until every node in `ids` has applied at least the leader's current commit index. */
  async waitConverged(ids: readonly string[], timeoutMs = 20_000): Promise<StatusResponse__Output[]> {
    const leader = await this.waitForLeader(timeoutMs, ids);
    const target = Number((await this.status(leader))?.commit ?? 0);
    return waitFor(`applied >= ${target} on ${ids.join(',')}`, timeoutMs, async () => {
      const sts = await Promise.all(ids.map((id) => this.status(id)));
      if (sts.some((s) => s === undefined || Number(s.applied) < target)) return undefined;
      return sts as StatusResponse__Output[];
    });
  }

  logs(): string {
    return [...this.nodes.values()].map((n) => `--- ${n.id}\n${n.logTail.slice(-40).join('\n')}`).join('\n');
  }

  async close(): Promise<void> {
    await Promise.all([...this.nodes.keys()].map((id) => this.kill(id, 'SIGKILL')));
    for (const n of this.nodes.values()) n.client.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}
