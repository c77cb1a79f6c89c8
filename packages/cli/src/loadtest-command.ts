/**
 * `coffer loadtest`: the command around @coffer/loadtest. With `--spawn N` it runs its own
 * cluster (N `coffer server` processes from this build on 127.0.0.1, free ports, a temp data dir,
 * init + unseal over HTTP) and implements the load tester's `ClusterControl` port with real
 * processes: SIGKILL + restart (and unseal), SIGSTOP/SIGCONT, a partition through the nodes'
 * fault-injection switch (SetFaults over the node API), step-down over HTTP; the leader comes from
 * the nodes' status. With `--addr` it uses the HTTP-only control (sys/leader, sys/step-down).
 * `--fault-command` runs the operator's shell template with {node} = the leader.
 * Exit codes (LOADTEST_USAGE): 0 pass, 1 a verdict fails, 2 usage, 3 a verdict unknown, 4 run failed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CofferApiError, CofferClient } from '@coffer/client';
import {
  httpClusterControl, LOADTEST_EXIT, LOADTEST_USAGE, parseLoadtestArgs, renderSummary, runLoadtest, writeReports,
  type ClusterControl, type ClusterNode, type LeaderInfo,
} from '@coffer/loadtest';
import { NodeApiClient } from '@coffer/node';
import { freePort } from './free-port.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const COMMAND_TIMEOUT_MS = 60_000;

export async function runLoadtestCommand(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${LOADTEST_USAGE}\n`);
    return 0;
  }
  const parsed = parseLoadtestArgs(args, process.env);
  if (!parsed.ok) {
    process.stderr.write(`coffer loadtest: ${parsed.error.message}\n`);
    return LOADTEST_EXIT.usage;
  }
  const o = parsed.value;
  const outDir = resolve(o.outDir ?? `loadtest-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`);
  mkdirSync(outDir, { recursive: true });
  let cluster: SpawnedCluster | undefined;
  const onSignal = (): void => {
    process.stderr.write('\ncoffer loadtest: interrupted; stopping the cluster\n');
    void (cluster?.close() ?? Promise.resolve()).finally(() => process.exit(LOADTEST_EXIT.runFailed));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let control: ClusterControl;
    let token: string;
    if (o.spawn !== null) {
      process.stderr.write(`coffer loadtest: starting a ${o.spawn}-node cluster (logs in ${join(outDir, 'logs')})\n`);
      cluster = await SpawnedCluster.start(o.spawn, join(outDir, 'logs'));
      control = cluster;
      token = cluster.rootToken;
    } else {
      token = o.token ?? '';
      control = httpClusterControl(o.addresses, token);
    }
    if (o.failover.command !== null) control = withFaultCommand(control, o.failover.command);
    const report = await runLoadtest(o, control, { token, progress: process.stderr });
    const withCluster = cluster === undefined ? report : { ...report, cluster: cluster.describe() };
    const files = await writeReports(withCluster, outDir);
    process.stdout.write(renderSummary(withCluster));
    process.stdout.write(`reports: ${files.json}\n         ${files.html}\n`);
    return report.exitCode;
  } catch (e: unknown) {
    process.stderr.write(`coffer loadtest: the run failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return LOADTEST_EXIT.runFailed;
  } finally {
    await cluster?.close();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** Adds `command(id)`: the operator's shell template, {node} replaced by the leader. */
function withFaultCommand(control: ClusterControl, template: string): ClusterControl {
  const command = (id: string): Promise<void> =>
    new Promise((resolveRun, reject) => {
      const p = spawn('/bin/sh', ['-c', template.replaceAll('{node}', id)], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      p.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-400)));
      const timer = setTimeout(() => p.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
      p.on('error', (e) => reject(e));
      p.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolveRun();
        else reject(new Error(`fault command exited with ${signal ?? `code ${code}`}${stderr === '' ? '' : `: ${stderr.trim()}`}`));
      });
    });
  // Assigned onto the control itself: a spawned cluster is a class whose methods need `this`.
  return Object.assign(control, { command });
}

interface SpawnedNode {
  readonly id: string;
  readonly clusterAddress: string;
  readonly apiUrl: string;
  readonly args: readonly string[];
  readonly logFile: string;
  readonly client: NodeApiClient;
  proc: ChildProcess | undefined;
  isPaused: boolean;
}

/** A local cluster of real `coffer server` processes, as the load tester's `ClusterControl`. */
class SpawnedCluster implements ClusterControl {
  rootToken = '';
  private unsealKey = '';
  private readonly pids: number[] = [];

  private constructor(private readonly members: readonly SpawnedNode[], private readonly dataRoot: string) {}

  static async start(n: number, logDir: string): Promise<SpawnedCluster> {
    mkdirSync(logDir, { recursive: true });
    const dataRoot = mkdtempSync(join(tmpdir(), 'coffer-loadtest-'));
    const ids = Array.from({ length: n }, (_, i) => `n${i + 1}`);
    const ports = await Promise.all(ids.flatMap(() => [freePort(), freePort()]));
    const addr = (i: number, k: number): string => `127.0.0.1:${ports[2 * i + k] as number}`;
    const bootstrap = ids.map((id, i) => `${id}=${addr(i, 0)}`).join(',');
    const clusterId = `loadtest-${process.pid}`;
    const members: SpawnedNode[] = ids.map((id, i) => ({
      id, clusterAddress: addr(i, 0), apiUrl: `http://${addr(i, 1)}`, logFile: join(logDir, `${id}.log`),
      // The bootstrap list is read only when the data dir is new, so a restart may pass it again.
      args: [MAIN, 'server', '--node-id', id, '--cluster-id', clusterId, '--data-dir', join(dataRoot, id), '--cluster-address', addr(i, 0),
        '--api-address', addr(i, 1), '--unsafe-fault-injection', '--bootstrap', bootstrap],
      client: new NodeApiClient(addr(i, 0)), proc: undefined, isPaused: false,
    }));
    const c = new SpawnedCluster(members, dataRoot);
    try {
      for (const m of members) c.spawnNode(m);
      await c.initAndUnseal();
    } catch (e: unknown) {
      await c.close();
      throw e;
    }
    return c;
  }

  nodes(): readonly ClusterNode[] {
    return this.members.map((m) => ({ id: m.id, apiUrl: m.apiUrl }));
  }

  /** The leader of the highest term any node reports (an isolated old leader may still think it leads). */
  async leader(): Promise<LeaderInfo | undefined> {
    const sts = await Promise.all(this.members.map((m) => (m.proc === undefined || m.isPaused ? undefined : m.client.status(1000))));
    let best: LeaderInfo | undefined;
    for (const s of sts) {
      if (s === undefined || !s.ok || s.value.role !== 'leader') continue;
      const term = Number(s.value.term);
      if (best === undefined || term > (best.term ?? -1)) best = { id: s.value.id, term };
    }
    return best;
  }

  async kill(id: string): Promise<void> {
    const m = this.member(id);
    const p = m.proc;
    if (p === undefined) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    await Promise.race([exited, sleep(10_000)]);
    m.proc = undefined;
    m.isPaused = false;
  }

  async restart(id: string): Promise<void> {
    const m = this.member(id);
    if (m.proc !== undefined) return;
    this.spawnNode(m);
    // A restarted node comes back sealed: unseal it as an operator would.
    const api = new CofferClient({ address: m.apiUrl, env: {}, timeoutMs: 2000 });
    await until(`${id} unsealed after restart`, START_TIMEOUT_MS, async () => {
      const s = await api.sys.sealStatus();
      return s.sealed ? ((await api.sys.unseal(this.unsealKey)).sealed ? undefined : true) : true;
    });
  }

  async pause(id: string): Promise<void> {
    const m = this.member(id);
    m.proc?.kill('SIGSTOP');
    m.isPaused = true;
  }

  async resume(id: string): Promise<void> {
    const m = this.member(id);
    m.proc?.kill('SIGCONT');
    m.isPaused = false;
  }

  /** Drops the node's raft traffic with every other member, both ways (its HTTP API stays up). */
  async partition(id: string): Promise<void> {
    const others = this.members.filter((m) => m.id !== id).map((m) => m.id);
    const r = await this.member(id).client.setFaults({ drop_peers: others });
    if (!r.ok) throw new Error(`SetFaults on ${id}: ${r.error.message}`);
  }

  async heal(id: string): Promise<void> {
    const r = await this.member(id).client.setFaults({ clear: true });
    if (!r.ok) throw new Error(`SetFaults(clear) on ${id}: ${r.error.message}`);
  }

  async stepDown(id: string): Promise<void> {
    await new CofferClient({ address: this.member(id).apiUrl, token: this.rootToken, env: {}, timeoutMs: 10_000 }).sys.stepDown();
  }

  describe(): Record<string, unknown> {
    return { spawned: this.members.length, pids: [...this.pids], logs: this.members.map((m) => m.logFile) };
  }

  /** SIGKILL every node (paused ones too), wait for the exits, remove the data. Idempotent. */
  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => this.kill(m.id)));
    for (const m of this.members) m.client.close();
    rmSync(this.dataRoot, { recursive: true, force: true });
  }

  private member(id: string): SpawnedNode {
    const m = this.members.find((x) => x.id === id);
    if (m === undefined) throw new Error(`no node ${id} in this cluster`);
    return m;
  }

  private spawnNode(m: SpawnedNode): void {
    const log = openSync(m.logFile, 'a');
    m.proc = spawn(process.execPath, [...m.args], { stdio: ['ignore', log, log] });
    closeSync(log);
    m.isPaused = false;
    if (m.proc.pid !== undefined) this.pids.push(m.proc.pid);
  }

  private async initAndUnseal(): Promise<void> {
    const leader = await until('a leader', START_TIMEOUT_MS, () => this.leader());
    const apis = this.members.map((m) => new CofferClient({ address: m.apiUrl, env: {}, timeoutMs: 5000 }));
    for (const [i, api] of apis.entries()) await until(`${this.members[i]?.id}'s HTTP API`, START_TIMEOUT_MS, async () => ((await api.sys.initStatus()) ? 'yes' : 'no'));
    const leaderApi = apis[this.members.findIndex((m) => m.id === leader.id)] ?? (apis[0] as CofferClient);
    // One attempt, with a long timeout: sys/init is not idempotent (a retry after an answer was lost
    // says "already initialized", and the keys of the first are gone).
    const init = await new CofferClient({ address: leaderApi.address, env: {}, timeoutMs: START_TIMEOUT_MS }).sys.init({ secret_shares: 1, secret_threshold: 1 });
    this.unsealKey = init.keys[0] ?? '';
    this.rootToken = init.root_token;
    for (const [i, api] of apis.entries()) {
      await until(`${this.members[i]?.id} unsealed`, START_TIMEOUT_MS, async () => {
        if (!(await api.sys.initStatus())) return undefined;
        return (await api.sys.unseal(this.unsealKey)).sealed ? undefined : true;
      });
    }
    // The root token must work: an init that raced a leader change has been seen to answer a token
    // that was never issued (node log: "root token not issued").
    const authed = new CofferClient({ address: leaderApi.address, env: {}, timeoutMs: 5000, token: this.rootToken });
    let denials = 0;
    await until('the root token to be accepted', START_TIMEOUT_MS, async () => {
      try {
        return await authed.token.lookupSelf();
      } catch (e: unknown) {
        // Refused 20 times in a row (2 s and more): not a replica catching up.
        if (e instanceof CofferApiError && e.status === 403 && ++denials >= 20) {
          throw new FatalError('sys/init answered a root token that the cluster does not accept (the init raced a leader change; see "root token not issued" in the node logs); run again');
        }
        throw e;
      }
    });
    // Ready when the leader's gateway says active.
    await until('an active node', START_TIMEOUT_MS, async () => {
      for (const api of apis) if ((await api.sys.health().catch(() => undefined))?.status === 200) return true;
      return undefined;
    });
  }
}

/** Thrown by a probe of `until` to stop retrying. */
class FatalError extends Error {}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e: unknown) {
      if (e instanceof FatalError) throw e;
      last = e instanceof Error ? `: ${e.message}` : '';
    }
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`);
    await sleep(100);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}


