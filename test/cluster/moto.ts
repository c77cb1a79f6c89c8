/**
 * A real moto_server (KMS-compatible) for the auto-unseal tests, as packages/kms-unseal's harness
 * starts it (the real binary from `pyenv which moto_server`; clear failure when absent), plus a
 * TCP forwarder whose port "goes down" and "comes back", and the few KMS admin calls the tests need
 * (AWS JSON 1.1 over fetch: moto does not check signatures).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort, waitFor } from './harness.js';

export interface Moto {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  let bin = '';
  try {
    bin = execFileSync('bash', ['-c', 'pyenv which moto_server 2>/dev/null || command -v moto_server'], { encoding: 'utf8' }).trim();
  } catch {
    bin = '';
  }
  if (bin === '') throw new Error('moto_server not found (pyenv which moto_server / PATH): install moto[server]; the auto-unseal cluster test needs a real KMS-compatible server');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  try {
    await waitFor('moto_server to answer', 20_000, async () => {
      if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
      const res = await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
      return res?.ok === true ? true : undefined;
    }, 100);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop };
}

export async function kms(url: string, action: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `TrentService.${action}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`KMS ${action}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A TCP forwarder on a fixed port: `down()` closes it (connections refused), `up()` reopens it. */
export class KmsGate {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private constructor(readonly port: number, private readonly targetPort: number) {}

  static async open(targetUrl: string): Promise<KmsGate> {
    const g = new KmsGate(await freePort(), Number(new URL(targetUrl).port));
    await g.up();
    return g;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  up(): Promise<void> {
    const server = createServer((s) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      this.sockets.add(s).add(upstream);
      const drop = (): void => { s.destroy(); upstream.destroy(); };
      s.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      s.pipe(upstream).pipe(s);
    });
    this.server = server;
    return new Promise((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', () => resolve()));
  }

  async down(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    for (const sock of this.sockets) sock.destroy();
    this.sockets.clear();
    if (s !== undefined) await new Promise<void>((r) => s.close(() => r()));
  }
}
