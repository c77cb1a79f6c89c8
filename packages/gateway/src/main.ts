#!/usr/bin/env node
/**
 * Stand-alone gateway in front of a cluster (stateless; run as many as you like):
 *
 *   node packages/gateway/dist/main.js --nodes 127.0.0.1:8201,127.0.0.1:8211 [--listen 127.0.0.1:8200]
 *       [--max-body-bytes N] [--failover-window-ms MS] [--tls-ca F --tls-cert F --tls-key F]
 *
 * OTEL_TRACES_EXPORTER=console writes one JSON line per span to stdout (default none: no tracing).
 *
 * Prints one JSON line `{"msg":"gateway listening","url":...}` on stdout when ready; SIGTERM or
 * SIGINT stops it (in-flight requests finish, idle sockets close).
 */
import { readFileSync } from 'node:fs';
import { credentials as grpcCredentials } from '@grpc/grpc-js';
import { startTracing, tracesExporterFromEnv, type Tracing } from '@coffer/telemetry';
import { createClusterBackend, parseNodeList } from './cluster-backend.js';
import { startGateway } from './gateway-server.js';
import { TracedBackend } from './traced-backend.js';

interface Args {
  listen: string;
  nodes: string[];
  maxBodyBytes?: number;
  failoverWindowMs?: number;
  tls?: { ca: string; cert: string; key: string };
}

function parseArgs(argv: readonly string[]): Args {
  const m = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    if (eq > 0) m.set(a.slice(2, eq), a.slice(eq + 1));
    else m.set(a.slice(2), argv[++i] ?? '');
  }
  const known = new Set(['listen', 'nodes', 'max-body-bytes', 'failover-window-ms', 'tls-ca', 'tls-cert', 'tls-key']);
  for (const k of m.keys()) if (!known.has(k)) throw new Error(`unknown flag --${k}`);
  const nodes = parseNodeList(m.get('nodes') ?? '');
  const num = (k: string): number | undefined => {
    const v = m.get(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${k} must be a positive integer`);
    return n;
  };
  const args: Args = { listen: m.get('listen') ?? '127.0.0.1:8200', nodes };
  const maxBodyBytes = num('max-body-bytes');
  const failoverWindowMs = num('failover-window-ms');
  if (maxBodyBytes !== undefined) args.maxBodyBytes = maxBodyBytes;
  if (failoverWindowMs !== undefined) args.failoverWindowMs = failoverWindowMs;
  const ca = m.get('tls-ca');
  const cert = m.get('tls-cert');
  const key = m.get('tls-key');
  if (ca !== undefined || cert !== undefined || key !== undefined) {
    if (ca === undefined || cert === undefined || key === undefined) throw new Error('--tls-ca, --tls-cert and --tls-key go together');
    args.tls = { ca, cert, key };
  }
  return args;
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e: unknown) {
    process.stderr.write(`coffer gateway: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  const exporter = tracesExporterFromEnv(process.env);
  if (!exporter.ok) {
    process.stderr.write(`coffer gateway: ${exporter.error.message}\n`);
    process.exit(2);
  }
  const tracing: Tracing = await startTracing(exporter.value);
  const i = args.listen.lastIndexOf(':');
  const host = args.listen.slice(0, i);
  const port = Number(args.listen.slice(i + 1));
  const credentials = args.tls === undefined ? undefined : grpcCredentials.createSsl(readFileSync(args.tls.ca), readFileSync(args.tls.key), readFileSync(args.tls.cert));
  const backend = new TracedBackend(createClusterBackend({
    nodes: args.nodes,
    ...(credentials !== undefined ? { credentials } : {}),
    ...(args.failoverWindowMs !== undefined ? { failoverWindowMs: args.failoverWindowMs } : {}),
  }));
  const gw = await startGateway({ backend, host, port, ...(args.maxBodyBytes !== undefined ? { limits: { maxBodyBytes: args.maxBodyBytes } } : {}) });
  process.stdout.write(`${JSON.stringify({ msg: 'gateway listening', url: gw.url, nodes: args.nodes })}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void gw.close().then(() => tracing.shutdown()).then(() => process.exit(0));
    // Bounded: a client holding a connection open does not keep the process alive.
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
