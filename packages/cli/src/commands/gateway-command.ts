/**
 * `coffer gateway`: the stand-alone HTTP gateway in front of a cluster (the same as
 * packages/gateway's main): `--nodes host:port,...` are the nodes' cluster (gRPC) addresses.
 * Prints one JSON line `{"msg":"gateway listening","url":...}` on stdout when ready; SIGTERM or
 * SIGINT stops it.
 */
import { credentials as grpcCredentials } from '@grpc/grpc-js';
import { createClusterBackend, parseNodeList, startGateway } from '@coffer/gateway';
import { flagHelp, parseArgs, type FlagSpecs } from './args.js';
import type { Io } from './command.js';

const FLAGS: FlagSpecs = {
  nodes: { kind: 'string', usage: 'Cluster (gRPC) addresses of the nodes, host:port,host:port,...' },
  listen: { kind: 'string', usage: 'HTTP listen address.', default: '127.0.0.1:8200' },
  'max-body-bytes': { kind: 'int', usage: 'Largest request body accepted.' },
  'failover-window-ms': { kind: 'int', usage: 'How long a request may wait through a leader change.' },
  'tls-ca': { kind: 'string', usage: 'CA (PEM) of the nodes\' mutual TLS.' },
  'tls-cert': { kind: 'string', usage: 'This gateway\'s client certificate (PEM).' },
  'tls-key': { kind: 'string', usage: 'This gateway\'s client key (PEM).' },
};

export const GATEWAY_USAGE = `usage: coffer gateway --nodes host:port,... [--listen 127.0.0.1:8200] [flags]
  A stateless HTTP gateway (Vault's API) in front of a Coffer cluster; run as many as you like.
${flagHelp(FLAGS)}`;

function fail(io: Io, message: string): number {
  io.err(`coffer gateway: ${message}\n${GATEWAY_USAGE}\n`);
  return 2;
}

export async function runGateway(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(argv, FLAGS);
  if (!parsed.ok) return fail(io, parsed.error);
  const a = parsed.value;
  if (a.isHelp) {
    io.out(`${GATEWAY_USAGE}\n`);
    return 0;
  }
  if (a.positionals.length > 0) return fail(io, `unexpected argument "${a.positionals[0] ?? ''}"`);
  const nodesFlag = a.string('nodes');
  if (nodesFlag === undefined) return fail(io, '--nodes is required (the nodes\' cluster addresses, e.g. 127.0.0.1:8201,127.0.0.1:8211)');
  let nodes: string[];
  try {
    nodes = parseNodeList(nodesFlag);
  } catch (e: unknown) {
    return fail(io, e instanceof Error ? e.message : String(e));
  }
  const listen = a.string('listen') ?? '127.0.0.1:8200';
  const colon = listen.lastIndexOf(':');
  const port = Number(listen.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) return fail(io, `--listen must be host:port (got "${listen}")`);
  const host = listen.slice(0, colon);
  for (const k of ['max-body-bytes', 'failover-window-ms']) {
    const n = a.int(k);
    if (n !== undefined && n <= 0) return fail(io, `--${k} must be a positive integer`);
  }
  const [ca, cert, key] = [a.string('tls-ca'), a.string('tls-cert'), a.string('tls-key')];
  const tlsCount = [ca, cert, key].filter((x) => x !== undefined).length;
  if (tlsCount !== 0 && tlsCount !== 3) return fail(io, '--tls-ca, --tls-cert and --tls-key go together');
  let credentials;
  try {
    credentials = ca === undefined || cert === undefined || key === undefined ? undefined : grpcCredentials.createSsl(io.readFile(ca), io.readFile(key), io.readFile(cert));
  } catch (e: unknown) {
    io.err(`coffer gateway: cannot read the TLS files: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const failoverWindowMs = a.int('failover-window-ms');
  const maxBodyBytes = a.int('max-body-bytes');
  const backend = createClusterBackend({
    nodes,
    ...(credentials !== undefined ? { credentials } : {}),
    ...(failoverWindowMs !== undefined ? { failoverWindowMs } : {}),
  });
  let gw;
  try {
    gw = await startGateway({ backend, host, port, ...(maxBodyBytes !== undefined ? { limits: { maxBodyBytes } } : {}) });
  } catch (e: unknown) {
    io.err(`coffer gateway: cannot listen on ${listen}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  io.out(`${JSON.stringify({ msg: 'gateway listening', url: gw.url, nodes })}\n`);
  const running = gw;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      // Bounded: a client holding a connection open does not keep the process alive.
      setTimeout(() => resolve(), 5000).unref();
      void running.close().then(() => resolve());
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
