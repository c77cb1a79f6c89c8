/**
 * `CofferClient`: a small typed SDK for Coffer's Vault-compatible HTTP API.
 *
 *   const c = new CofferClient();                 // COFFER_ADDR / VAULT_ADDR, COFFER_TOKEN / VAULT_TOKEN
 *   const init = await c.sys.init({ secret_shares: 1, secret_threshold: 1 });
 *   await c.sys.unseal(init.keys[0]!); c.setToken(init.root_token);
 *   await c.kv.put('app', { password: 's3cret' }); (await c.kv.get('app'))?.data;
 */
import { addressFromEnv, tokenFromEnv, type Env } from './env.js';
import { HttpTransport, type BytesRequestOptions, type BytesResponse, type HttpMethod, type RawResponse, type RequestOptions } from './http.js';
import { KvApi, PolicyApi, SysApi, TokenApi, TransitApi } from './apis.js';
import { AuditApi, RaftApi, RekeyApi } from './admin-apis.js';
import { DrApi } from './dr-api.js';

export interface ClientOptions {
  /** e.g. http://127.0.0.1:8200 (default: COFFER_ADDR, VAULT_ADDR, then that). */
  readonly address?: string;
  /** Default: COFFER_TOKEN, then VAULT_TOKEN, then none. */
  readonly token?: string;
  /** Per request (default 60 s: a write may wait through a leader change). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Where the defaults come from (default process.env). */
  readonly env?: Env;
}

export class CofferClient {
  readonly address: string;
  readonly sys: SysApi;
  /** KV v2 at `secret/`; other mounts through `kvAt(mount)`. */
  readonly kv: KvApi;
  readonly transit: TransitApi;
  readonly token: TokenApi;
  readonly policy: PolicyApi;
  /** `sys/storage/raft/*`: peers, join, remove, snapshots, autopilot. */
  readonly raft: RaftApi;
  readonly rekey: RekeyApi;
  readonly audit: AuditApi;
  /** `sys/replication/*`: DR replication (status, primary, secondary, operation tokens). */
  readonly dr: DrApi;
  private currentToken: string | undefined;
  private readonly transport: HttpTransport;

  constructor(private readonly options: ClientOptions = {}) {
    const env = options.env ?? process.env;
    this.address = options.address ?? addressFromEnv(env);
    this.currentToken = options.token ?? tokenFromEnv(env);
    this.transport = new HttpTransport({
      address: this.address,
      token: () => this.currentToken,
      timeoutMs: options.timeoutMs ?? 60_000,
      fetch: options.fetch ?? globalThis.fetch,
    });
    this.sys = new SysApi(this.transport);
    this.kv = new KvApi(this.transport);
    this.transit = new TransitApi(this.transport);
    this.token = new TokenApi(this.transport);
    this.policy = new PolicyApi(this.transport);
    this.raft = new RaftApi(this.transport);
    this.rekey = new RekeyApi(this.transport);
    this.audit = new AuditApi(this.transport);
    this.dr = new DrApi(this.transport);
  }

  setToken(token: string | undefined): void {
    this.currentToken = token;
  }
  getToken(): string | undefined {
    return this.currentToken;
  }
  /** A client for the same server with another token. */
  withToken(token: string): CofferClient {
    return new CofferClient({ ...this.options, address: this.address, token });
  }
  kvAt(mount: string): KvApi {
    return new KvApi(this.transport, mount);
  }
  transitAt(mount: string): TransitApi {
    return new TransitApi(this.transport, mount);
  }

  // Generic calls on any path (below /v1/), as `vault read|write|list|delete`.
  read<T = unknown>(path: string, query: RequestOptions['query'] = {}): Promise<RawResponse<T>> {
    return this.transport.request<T>('GET', path, { query });
  }
  write<T = unknown>(path: string, body: unknown = {}): Promise<RawResponse<T>> {
    return this.transport.request<T>('PUT', path, { body });
  }
  list<T = unknown>(path: string): Promise<RawResponse<T>> {
    return this.transport.request<T>('LIST', path);
  }
  delete<T = unknown>(path: string): Promise<RawResponse<T>> {
    return this.transport.request<T>('DELETE', path);
  }
  /** Any method, any path; statuses >= 400 throw unless listed in `acceptStatuses`. */
  request<T = unknown>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<RawResponse<T>> {
    return this.transport.request<T>(method, path, options);
  }
  /** Raw bytes both ways (snapshots, metrics text); an error answer still throws `CofferApiError`. */
  requestBytes(method: HttpMethod, path: string, options: BytesRequestOptions = {}): Promise<BytesResponse> {
    return this.transport.requestBytes(method, path, options);
  }
}
