/**
 * What the benchmarks need from a replicated KV store reached over HTTP (Coffer's Vault API or
 * etcd's JSON gRPC gateway): its members, the leader, how a write and a read of key `k` look on
 * the wire, and kill/restart of one member. Both systems run 3 members on 127.0.0.1.
 */

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type KvOp = 'write' | 'read';

export interface KvSystem {
  readonly name: 'coffer' | 'etcd';
  /** One line on durability and read consistency, printed beside the figures. */
  readonly durability: string;
  /** One line on the failure-detection timing in use (both run their defaults). */
  readonly timing: string;
  /** Member ids, e.g. n1..n3 or e1..e3. */
  readonly ids: readonly string[];
  /** http://127.0.0.1:<port> of a member's HTTP API. */
  baseUrl(id: string): string;
  /** The current leader, agreed by the running members (bounded wait). */
  leader(timeoutMs?: number): Promise<string>;
  /** The request for one op on key `key` (the value is fixed per system: 1 KiB). */
  request(op: KvOp, key: string): HttpRequest;
  /** Whether the body of a 2xx read answer carries the benchmark's value. */
  readMatches(body: string): boolean;
  /** SIGKILL one member (bounded). */
  kill(id: string): Promise<void>;
  /** Restart a killed member on its data dir and wait until it serves again (bounded). */
  restart(id: string): Promise<void>;
  close(): Promise<void>;
}

/** The value both systems store: 1 KiB. */
export const VALUE_BYTES = 1024;
export const VALUE = 'v'.repeat(VALUE_BYTES);

/**
 * Sends one request with a timeout; resolves the status and body, or undefined on a network
 * error/timeout (printed on stderr when BENCH_DEBUG=1: a failing benchmark says why).
 */
export async function send(system: KvSystem, id: string, req: HttpRequest, timeoutMs: number): Promise<{ status: number; body: string } | undefined> {
  try {
    const res = await fetch(`${system.baseUrl(id)}${req.path}`, {
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    if (process.env['BENCH_DEBUG'] === '1') process.stderr.write(`send ${req.path} to ${id}: ${String(e)} ${String((e as Error).cause)}\n`);
    return undefined;
  }
}
