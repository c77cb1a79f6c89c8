import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Starts a real moto_server (a KMS-compatible server) for the tests of this package, so that CI
 * needs no separate step. Per toolchain.md section 6: start the real binary, not the pyenv shim
 * (the shim does not exec, and killing it orphans python holding the port).
 */
export interface MotoServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

function findMotoBinary(): string {
  let found = '';
  try {
    found = execFileSync('bash', ['-c', 'pyenv which moto_server 2>/dev/null || command -v moto_server'], { encoding: 'utf8' }).trim();
  } catch {
    found = '';
  }
  if (found === '') {
    throw new Error(
      'moto_server not found (tried `pyenv which moto_server` and PATH). The @coffer/kms-unseal tests need a real ' +
        'KMS-compatible server: install moto with its server extra (pip install "moto[server]") on this machine.',
    );
  }
  return found;
}

/** A port that was free a moment ago (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startMoto(): Promise<MotoServer> {
  const bin = findMotoBinary();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (b: Buffer): void => {
    output = (output + b.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited(child);
    clearTimeout(timer);
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode} before answering:\n${output}`);
    try {
      const res = await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return { url, port, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`moto_server did not answer GET ${url}/moto-api/ within ${START_TIMEOUT_MS} ms:\n${output}`);
}
