/**
 * `coffer dev`: a local development cluster on loopback, one `coffer server` process per node.
 * Node i (from 0) uses port P+10*i for the HTTP API (reserved for the gateway) and P+10*i+1 for
 * raft and the node API (gRPC). Data lives in `<data dir>/n<i+1>`, each node's JSON log in
 * `<data dir>/n<i+1>.log`; a second start reuses them. Ctrl-C (SIGINT) or SIGTERM stops every node
 * cleanly and waits for it. NOT for production: no TLS, all nodes on one host.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cofferError, err, ok, type Result } from '@coffer/base';
import { NodeApiClient } from '@coffer/node';

export interface DevOptions {
  readonly nodes: number;
  readonly basePort: number;
  readonly dataDir: string;
}

export const DEV_USAGE = `usage: coffer dev [--nodes N] [--base-port P] [--data-dir D]
  --nodes N        cluster size, 1..7 (default 3)
  --base-port P    node i listens on P+10*i (HTTP API, reserved) and P+10*i+1 (raft/gRPC); default 8200
  --data-dir D     where the nodes keep their data and logs (default .coffer/dev); reused on restart
A development cluster on 127.0.0.1 only: not for production (see deploy/ for a real deployment).`;

export function parseDevArgs(args: readonly string[]): Result<DevOptions> {
  let nodes = 3;
  let basePort = 8200;
  let dataDir = '.coffer/dev';
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] as string;
    const value = args[i + 1];
    if (flag !== '--nodes' && flag !== '--base-port' && flag !== '--data-dir') {
      return err(cofferError('invalid-request', `unknown flag ${flag}; see \`coffer dev --help\``));
    }
    if (value === undefined) return err(cofferError('invalid-request', `flag ${flag} needs a value`));
    i++;
    if (flag === '--data-dir') {
      dataDir = value;
      continue;
    }
    const n = Number(value);
    if (!Number.isInteger(n)) return err(cofferError('invalid-request', `${flag} must be a whole number, got "${value}"`));
    if (flag === '--nodes') nodes = n;
    else basePort = n;
  }
  if (nodes < 1 || nodes > 7) return err(cofferError('invalid-request', `--nodes must be between 1 and 7, got ${nodes}`));
  if (basePort < 1024 || basePort + 10 * (nodes - 1) + 1 > 65535) {
    return err(cofferError('invalid-request', `--base-port must leave room for ${nodes} nodes between 1024 and 65535`));
  }
  return ok({ nodes, basePort, dataDir: resolve(dataDir) });
}

interface DevNode {
  readonly id: string;
  readonly clusterAddress: string;
  readonly apiAddress: string;
  readonly dataDir: string;
  readonly logFile: string;
  proc?: ChildProcess;
}

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

/** Runs the cluster until a signal; resolves with the exit code. */
export async function runDev(o: DevOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  mkdirSync(o.dataDir, { recursive: true });
  const nodes: DevNode[] = Array.from({ length: o.nodes }, (_, i) => ({
    id: `n${i + 1}`,
    apiAddress: `127.0.0.1:${o.basePort + 10 * i}`,
    clusterAddress: `127.0.0.1:${o.basePort + 10 * i + 1}`,
    dataDir: join(o.dataDir, `n${i + 1}`),
    logFile: join(o.dataDir, `n${i + 1}.log`),
  }));
  const bootstrap = nodes.map((n) => `${n.id}=${n.clusterAddress}`).join(',');
  let isStopping = false;
  let unexpectedExit: string | undefined;
  const exited = nodes.map(
    (n) =>
      new Promise<void>((resolveExit) => {
        const log = openSync(n.logFile, 'a');
        // The bootstrap list is read only when the data dir is new; a restart reuses the data.
        const args = [MAIN, 'server', '--node-id', n.id, '--cluster-id', 'coffer-dev', '--data-dir', n.dataDir, '--cluster-address', n.clusterAddress, '--api-address', n.apiAddress, '--bootstrap', bootstrap];
        n.proc = spawn(process.execPath, args, { stdio: ['ignore', log, log] });
        closeSync(log);
        n.proc.on('exit', (code, signal) => {
          if (!isStopping) unexpectedExit = `${n.id} exited (${signal ?? `code ${code}`}); see ${n.logFile}`;
          resolveExit();
          if (!isStopping) stop();
        });
      }),
  );
  let stopResolve: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (stopResolve = r));
  function stop(): void {
    if (isStopping && unexpectedExit === undefined) return;
    isStopping = true;
    for (const n of nodes) if (n.proc?.exitCode === null && n.proc.signalCode === null) n.proc.kill('SIGTERM');
    const force = setTimeout(() => {
      for (const n of nodes) if (n.proc?.exitCode === null && n.proc.signalCode === null) n.proc.kill('SIGKILL');
    }, 10_000);
    void Promise.all(exited).then(() => {
      clearTimeout(force);
      stopResolve();
    });
  }
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const clients = nodes.map((n) => new NodeApiClient(n.clusterAddress));
  const leader = await waitForLeader(clients, () => isStopping, 30_000);
  if (leader !== undefined && !isStopping) {
    out.write(`Coffer development cluster: ${o.nodes} node(s) on 127.0.0.1, data in ${o.dataDir}\n`);
    for (const n of nodes) out.write(`  ${n.id}  raft/gRPC ${n.clusterAddress}  HTTP API ${n.apiAddress} (with the gateway)  log ${n.logFile}\n`);
    out.write(`leader: ${leader}\n`);
    out.write('This is a development cluster, not for production: see deploy/README.md. Ctrl-C stops it.\n');
  } else if (!isStopping) {
    out.write('no leader was elected within 30 s; see the node logs\n');
    stop();
  }
  await stopped;
  for (const c of clients) c.close();
  process.removeListener('SIGINT', stop);
  process.removeListener('SIGTERM', stop);
  if (unexpectedExit !== undefined) {
    out.write(`stopped: ${unexpectedExit}\n`);
    return 1;
  }
  out.write('stopped: every node shut down cleanly\n');
  return leader === undefined ? 1 : 0;
}

async function waitForLeader(clients: readonly NodeApiClient[], isCancelled: () => boolean, timeoutMs: number): Promise<string | undefined> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && !isCancelled()) {
    for (const c of clients) {
      const s = await c.status(500);
      if (s.ok && s.value.role === 'leader') return s.value.id;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
