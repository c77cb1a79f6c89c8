/**
 * A 3-node Coffer cluster of real `coffer server` processes (the BUILT packages/cli/dist/main.js,
 * via test/cluster/harness.ts) on 127.0.0.1, each with its embedded gateway (--api-address),
 * initialised (1 Shamir share) and unsealed over HTTP. Writes and reads are KV v2 at
 * secret/data/<key> with the root token. A killed node restarts sealed: restart() unseals it.
 */
import { CofferClient } from '@coffer/client';
import { Cluster, freePort, waitFor } from '../../test/cluster/harness.js';
import { VALUE, type HttpRequest, type KvOp, type KvSystem } from './kv-system.js';
import { trackDir, trackProcs } from './reaper.js';

export class CofferHttpCluster implements KvSystem {
  readonly name = 'coffer';
  readonly durability = 'coffer: raft log fsynced per Ready batch (one LevelDB sync batch), state machine applied without fsync (replayed from the log); KV v2 reads linearizable (ReadIndex)';
  readonly timing = 'coffer: defaults, tick 50 ms, heartbeat 1 tick, election timeout 6 ticks (300-600 ms), pre-vote and check-quorum';
  readonly cluster = new Cluster();
  private readonly apiPorts = new Map<string, number>();
  private unsealKey = '';
  private token = '';
  private writeHeaders: Record<string, string> = {};
  private readHeaders: Record<string, string> = {};
  private readonly writeBody = JSON.stringify({ data: { value: VALUE } });
  ids: readonly string[] = [];

  constructor() {
    trackDir(this.cluster.root);
    trackProcs(() => [...this.cluster.nodes.values()].map((n) => n.proc));
  }

  private client(id: string): CofferClient {
    return new CofferClient({ address: this.baseUrl(id), env: {}, timeoutMs: 20_000, ...(this.token !== '' ? { token: this.token } : {}) });
  }

  private peers(): string {
    return [...this.cluster.nodes.values()].map((n) => `${n.id}=${n.address}`).join(',');
  }

  async start(n: number): Promise<void> {
    this.ids = Array.from({ length: n }, (_, i) => `n${i + 1}`);
    for (const id of this.ids) {
      this.cluster.define(id, await freePort());
      this.apiPorts.set(id, await freePort());
    }
    const bootstrap = this.peers();
    for (const id of this.ids) this.cluster.spawn(id, ['--bootstrap', bootstrap, '--api-address', `127.0.0.1:${this.apiPorts.get(id)}`]);
    const leader = await this.cluster.waitForLeader(30_000);
    await this.waitGateway(leader);
    const init = await this.client(leader).sys.init({ secret_shares: 1, secret_threshold: 1 });
    this.unsealKey = init.keys[0] ?? '';
    this.token = init.root_token;
    this.writeHeaders = { 'content-type': 'application/json', 'x-vault-token': this.token };
    this.readHeaders = { 'x-vault-token': this.token };
    for (const id of this.ids) await this.unseal(id);
  }

  private async waitGateway(id: string): Promise<void> {
    await waitFor(`coffer ${id} gateway`, 20_000, async () => {
      if (!this.cluster.isRunning(id)) throw new Error(`coffer ${id} exited:\n${this.cluster.logs()}`);
      return (await this.client(id).sys.health().catch(() => undefined)) !== undefined || undefined;
    }, 50);
  }

  /** Unseals one node once it knows the cluster is initialised; done when it serves (200/429). */
  private async unseal(id: string): Promise<void> {
    await this.waitGateway(id);
    await waitFor(`coffer ${id} initialized`, 20_000, async () => ((await this.client(id).sys.sealStatus()).initialized ? true : undefined), 50);
    await this.client(id).sys.unseal(this.unsealKey);
    await waitFor(`coffer ${id} unsealed`, 20_000, async () => {
      const h = await this.client(id).sys.health().catch(() => undefined);
      return h !== undefined && (h.status === 200 || h.status === 429) ? true : undefined;
    }, 50);
  }

  baseUrl(id: string): string {
    const port = this.apiPorts.get(id);
    if (port === undefined) throw new Error(`no coffer node ${id}`);
    return `http://127.0.0.1:${port}`;
  }

  request(op: KvOp, key: string): HttpRequest {
    const path = `/v1/secret/data/${key}`;
    return op === 'write' ? { method: 'PUT', path, headers: this.writeHeaders, body: this.writeBody } : { method: 'GET', path, headers: this.readHeaders };
  }

  readMatches(body: string): boolean {
    const parsed = JSON.parse(body) as { data?: { data?: { value?: string } } };
    return parsed.data?.data?.value === VALUE;
  }

  async leader(timeoutMs = 15_000): Promise<string> {
    return this.cluster.waitForLeader(timeoutMs);
  }

  async kill(id: string): Promise<void> {
    await this.cluster.kill(id, 'SIGKILL');
  }

  async restart(id: string): Promise<void> {
    this.cluster.spawn(id, ['--join', this.peers(), '--api-address', `127.0.0.1:${this.apiPorts.get(id)}`]);
    await this.unseal(id);
    await this.cluster.waitForLeader(15_000);
  }

  async close(): Promise<void> {
    await this.cluster.close();
  }
}
