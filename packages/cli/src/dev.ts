/**
 * `coffer dev` (what `npm start` runs): a local development cluster on loopback, one `coffer
 * server` process per node, initialized and unsealed, ready for `coffer kv put`.
 *
 * Node i (from 0) serves the HTTP API on P+10*i and raft + the node API (gRPC) on P+10*i+1. Data
 * lives in `<data dir>/n<i+1>`, each node's JSON log in `<data dir>/n<i+1>.log`. The first start
 * initializes with one key share (threshold 1) and saves the key and root token in
 * `<data dir>/dev-keys.json` (0600); a later start on the same data unseals with that file. The
 * two export lines go to `<data dir>/dev.env` (0600). Ctrl-C (SIGINT), SIGTERM or SIGHUP stops
 * every node cleanly and waits for it; a node dying on its own stops the rest (exit 1).
 * NOT for production: no TLS, all nodes on one host, the unseal key on disk next to the data.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cofferError, err, ok, type Result } from '@coffer/base';
import { NodeApiClient } from '@coffer/node';
import { devBanner } from './dev-banner.js';
import { initAndUnseal } from './dev-init.js';
import { DEV_ENV_FILE, DEV_KEYS_FILE, writeDevEnv } from './dev-keys.js';
import { CLI_MAIN, DevNodes, type DevNodeSpec } from './dev-nodes.js';
import { checkPortsFree } from './dev-ports.js';

export interface DevOptions {
  readonly nodes: number;
  readonly basePort: number;
  readonly dataDir: string;
}

export const DEV_USAGE = `usage: coffer dev [--nodes N] [--base-port P] [--data-dir D]
  --nodes N        cluster size, 1..7 (default 3)
  --base-port P    node i serves HTTP on P+10*i and raft/gRPC on P+10*i+1; default 8200
  --data-dir D     where the nodes keep their data and logs (default .coffer/dev); reused on restart
A development cluster on 127.0.0.1, initialized (1 key share) and unsealed. It prints the unseal
key, the root token and the lines to export (also written to D/dev.env); the key is stored in
D/dev-keys.json. NOT for production: see docs/operator-guide.md.`;

const LEADER_TIMEOUT_MS = 30_000;
const UNSEAL_TIMEOUT_MS = 60_000;

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

/** Runs the cluster until a signal or a node's death; resolves with the exit code (0 after Ctrl-C). */
export async function runDev(o: DevOptions, out: NodeJS.WritableStream = process.stdout, errOut: NodeJS.WritableStream = process.stderr): Promise<number> {
  const fail = (message: string): number => {
    errOut.write(`coffer dev: ${message}\n`);
    return 1;
  };
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  const specs: DevNodeSpec[] = Array.from({ length: o.nodes }, (_, i) => ({
    id: `n${i + 1}`,
    apiAddress: `127.0.0.1:${o.basePort + 10 * i}`,
    clusterAddress: `127.0.0.1:${o.basePort + 10 * i + 1}`,
    dataDir: join(o.dataDir, `n${i + 1}`),
    logFile: join(o.dataDir, `n${i + 1}.log`),
  }));
  const sizeCheck = checkClusterSize(o);
  if (!sizeCheck.ok) return fail(sizeCheck.error.message);
  const ports = await checkPortsFree(
    specs.flatMap((n) => [
      { port: Number(n.apiAddress.split(':')[1]), purpose: `${n.id} HTTP API` },
      { port: Number(n.clusterAddress.split(':')[1]), purpose: `${n.id} raft/gRPC` },
    ]),
    o.basePort,
  );
  if (!ports.ok) return fail(ports.error.message);

  let wake: () => void = () => undefined;
  const woken = new Promise<void>((r) => (wake = r));
  const nodes = new DevNodes(specs, () => wake());
  const onSignal = (): void => wake();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSignal);
  let signalled = false;
  void woken.then(() => {
    signalled = nodes.unexpectedExit === undefined;
    void nodes.stopAll();
  });
  const isDone = (): boolean => nodes.isStopping || nodes.unexpectedExit !== undefined;
  nodes.start('coffer-dev');

  let code = 0;
  try {
    const clients = specs.map((n) => new NodeApiClient(n.clusterAddress));
    const leaderId = await waitForLeader(clients, isDone, LEADER_TIMEOUT_MS);
    for (const c of clients) c.close();
    if (leaderId === undefined && !isDone()) {
      code = fail(`no leader was elected within ${LEADER_TIMEOUT_MS / 1000} s; see the node logs in ${o.dataDir}`);
    } else if (leaderId !== undefined && !isDone()) {
      const keysFile = join(o.dataDir, DEV_KEYS_FILE);
      const sealed = await initAndUnseal({
        nodes: specs.map((n) => ({ id: n.id, url: `http://${n.apiAddress}` })),
        leaderIndex: Math.max(0, specs.findIndex((n) => n.id === leaderId)),
        keysPath: keysFile,
        dataDir: o.dataDir,
        isCancelled: isDone,
        timeoutMs: UNSEAL_TIMEOUT_MS,
      });
      if (!sealed.ok && !isDone()) {
        code = fail(sealed.error.message);
      } else if (sealed.ok && !isDone()) {
        const address = `http://${specs[0]?.apiAddress ?? ''}`;
        const envFile = join(o.dataDir, DEV_ENV_FILE);
        writeDevEnv(envFile, address, sealed.value.keys.rootToken);
        out.write(devBanner({ nodes: specs, leaderId, dataDir: o.dataDir, envFile, keysFile, keys: sealed.value.keys, isFresh: sealed.value.isFresh, address, cwd: process.cwd(), cliMain: CLI_MAIN }));
      }
    }
  } catch (e: unknown) {
    // Never leave the (detached) nodes behind because of a bug or an I/O error here.
    code = fail(`${e instanceof Error ? e.message : String(e)}; stopping the nodes`);
  }
  if (code !== 0) wake();
  await woken;
  await nodes.stopAll();
  for (const s of signals) process.removeListener(s, onSignal);
  if (nodes.unexpectedExit !== undefined) {
    errOut.write(`coffer dev: stopped every node because ${nodes.unexpectedExit}\n`);
    return 1;
  }
  out.write(`stopped: every node shut down cleanly${signalled && code === 0 ? '' : ' (after an error)'}\n`);
  return code;
}

/**
 * The membership is fixed at the first start (bootstrap): a data dir made with 3 nodes cannot be
 * run with 5 (the new nodes would wait forever for a cluster that does not know them) or with 1.
 */
function checkClusterSize(o: DevOptions): Result<void> {
  let names: string[];
  try {
    names = readdirSync(o.dataDir);
  } catch {
    return ok(undefined);
  }
  const existing = names.filter((n) => /^n\d+$/.test(n)).length;
  if (existing === 0 || existing === o.nodes) return ok(undefined);
  return err(cofferError('invalid-request', `${o.dataDir} holds a ${existing}-node cluster, not ${o.nodes}: run with --nodes ${existing}, or delete ${o.dataDir} to start over (its data is lost), or use another --data-dir`));
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
