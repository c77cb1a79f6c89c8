/**
 * A 3-member etcd (3.4, `etcd` on PATH or $ETCD_BIN) cluster on 127.0.0.1 with free ports and its
 * own temp data dirs, driven through etcd's JSON gRPC gateway (POST /v3/kv/put, /v3/kv/range,
 * /v3/maintenance/status; keys and values base64). Default settings (100 ms heartbeat, 1000 ms
 * election timeout, WAL fsync per raft Ready batch) apart from a larger space quota, so that a
 * long run never trips etcd's 2 GiB NOSPACE alarm (history is never compacted during the run).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '../../test/cluster/harness.js';
import { send, VALUE, type HttpRequest, type KvOp, type KvSystem } from './kv-system.js';
import { trackDir, trackProcs } from './reaper.js';

export const ETCD_BIN = process.env['ETCD_BIN'] ?? 'etcd';
const QUOTA_BYTES = 8 * 1024 ** 3;
const JSON_HEADERS = { 'content-type': 'application/json' } as const;
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const VALUE_B64 = b64(VALUE);

interface Member {
  readonly id: string;
  readonly clientPort: number;
  readonly peerPort: number;
  proc: ChildProcess | undefined;
  readonly logTail: string[];
}

/** The version line of `etcd --version`, or an error saying how to install it. */
export function etcdVersion(): string {
  const r = spawnSync(ETCD_BIN, ['--version'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`cannot run '${ETCD_BIN} --version' (${r.error?.message ?? `exit ${r.status}`}): install etcd 3.4 (Debian: apt-get install -y etcd-server) or set ETCD_BIN`);
  }
  return r.stdout.split('\n')[0] ?? '';
}

export class EtcdCluster implements KvSystem {
  readonly name = 'etcd';
  readonly durability = 'etcd: WAL fsynced per raft Ready batch (always, in 3.4), bbolt backend committed every 100 ms; range reads linearizable (ReadIndex)';
  readonly timing = 'etcd: defaults, heartbeat 100 ms, election timeout 1000 ms (drawn from [1000, 2000) ms), pre-vote off';
  readonly root = mkdtempSync(join(tmpdir(), 'bench-etcd-'));
  private readonly members = new Map<string, Member>();
  ids: readonly string[] = [];

  constructor() {
    trackDir(this.root);
    trackProcs(() => [...this.members.values()].map((m) => m.proc));
  }

  async start(n: number): Promise<void> {
    this.ids = Array.from({ length: n }, (_, i) => `e${i + 1}`);
    for (const id of this.ids) this.members.set(id, { id, clientPort: await freePort(), peerPort: await freePort(), proc: undefined, logTail: [] });
    for (const id of this.ids) this.spawn(id);
    await this.waitHealthy(this.ids, 30_000);
  }

  private member(id: string): Member {
    const m = this.members.get(id);
    if (m === undefined) throw new Error(`no etcd member ${id}`);
    return m;
  }

  private spawn(id: string): void {
    const m = this.member(id);
    const cluster = [...this.members.values()].map((x) => `${x.id}=http://127.0.0.1:${x.peerPort}`).join(',');
    // On a restart the data dir exists and etcd ignores the --initial-* flags (it reads its WAL).
    const args = [
      '--name', id, '--data-dir', join(this.root, id),
      '--listen-client-urls', `http://127.0.0.1:${m.clientPort}`, '--advertise-client-urls', `http://127.0.0.1:${m.clientPort}`,
      '--listen-peer-urls', `http://127.0.0.1:${m.peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${m.peerPort}`,
      '--initial-cluster', cluster, '--initial-cluster-token', `bench-${process.pid}`, '--initial-cluster-state', 'new',
      '--quota-backend-bytes', String(QUOTA_BYTES), '--logger', 'zap', '--log-level', 'warn',
    ];
    // ETCD_* variables would override flags: start from a clean slate.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETCD_')));
    const proc = spawn(ETCD_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line !== '') m.logTail.push(line);
      if (m.logTail.length > 500) m.logTail.splice(0, m.logTail.length - 500);
    });
    m.proc = proc;
  }

  baseUrl(id: string): string {
    return `http://127.0.0.1:${this.member(id).clientPort}`;
  }

  request(op: KvOp, key: string): HttpRequest {
    const body = op === 'write' ? `{"key":"${b64(key)}","value":"${VALUE_B64}"}` : `{"key":"${b64(key)}"}`;
    return { method: 'POST', path: op === 'write' ? '/v3/kv/put' : '/v3/kv/range', headers: JSON_HEADERS, body };
  }

  readMatches(body: string): boolean {
    const parsed = JSON.parse(body) as { kvs?: { value?: string }[] };
    return parsed.kvs?.[0]?.value === VALUE_B64;
  }

  /** Maintenance.Status of one member: its own id and the leader it sees (uint64s as strings). */
  private async status(id: string): Promise<{ self: string; leader: string } | undefined> {
    const r = await send(this, id, { method: 'POST', path: '/v3/maintenance/status', headers: JSON_HEADERS, body: '{}' }, 1000);
    if (r?.status !== 200) return undefined;
    const s = JSON.parse(r.body) as { header?: { member_id?: string }; leader?: string };
    return s.header?.member_id !== undefined && s.leader !== undefined ? { self: s.header.member_id, leader: s.leader } : undefined;
  }

  async leader(timeoutMs = 15_000): Promise<string> {
    const running = this.ids.filter((id) => this.isRunning(id));
    let last: unknown[] = [];
    try {
      return await waitFor('an agreed etcd leader', timeoutMs, async () => {
        const sts = await Promise.all(running.map((id) => this.status(id)));
        last = sts;
        const leaderId = sts[0]?.leader;
        if (leaderId === undefined || leaderId === '0' || sts.some((s) => s?.leader !== leaderId)) return undefined;
        return running[sts.findIndex((s) => s?.self === leaderId)];
      }, 50);
    } catch (e) {
      const detail = running.map((id, i) => `--- ${id} (${this.isRunning(id) ? 'running' : 'exited'}) status ${JSON.stringify(last[i])}\n${this.logs(id)}`).join('\n');
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n${detail}`);
    }
  }

  private isRunning(id: string): boolean {
    const p = this.member(id).proc;
    return p !== undefined && p.exitCode === null && p.signalCode === null;
  }

  /** GET /health answers {"health":"true"} once the member has a leader and no alarm. */
  private async waitHealthy(ids: readonly string[], timeoutMs: number): Promise<void> {
    await waitFor(`etcd ${ids.join(',')} healthy`, timeoutMs, async () => {
      for (const id of ids) {
        if (!this.isRunning(id)) throw new Error(`etcd ${id} exited:\n${this.logs(id)}`);
        const r = await send(this, id, { method: 'GET', path: '/health', headers: {} }, 1000);
        if (r?.status !== 200 || !r.body.includes('"true"')) return undefined;
      }
      return true;
    }, 50);
  }

  async kill(id: string): Promise<void> {
    const p = this.member(id).proc;
    if (p === undefined || !this.isRunning(id)) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    this.member(id).proc = undefined;
  }

  async restart(id: string): Promise<void> {
    this.spawn(id);
    await this.waitHealthy([id], 30_000);
    await this.leader(15_000);
  }

  logs(id: string): string {
    return this.member(id).logTail.slice(-20).join('\n');
  }

  async close(): Promise<void> {
    await Promise.all(this.ids.map((id) => this.kill(id)));
  }
}
