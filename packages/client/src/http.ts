/**
 * One Vault HTTP exchange over fetch: `/v1/<path>`, the token in `X-Vault-Token`, a JSON body,
 * the JSON answer parsed. Status >= 400 throws `CofferApiError` unless the caller accepts it
 * (sys/health reports its state in the status code). `requestBytes` is the same exchange with raw
 * bytes both ways (raft snapshots, Prometheus text), the errors still parsed from JSON.
 */
import { CofferApiError, errorsOf } from './errors.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'LIST';

export interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | boolean>>;
  /** Overrides the client's token for this call ('' sends none). */
  readonly token?: string;
  /** Statuses >= 400 returned instead of thrown. */
  readonly acceptStatuses?: readonly number[];
  readonly contentType?: string;
}

export interface BytesRequestOptions extends Omit<RequestOptions, 'body'> {
  readonly body?: Uint8Array;
}

export interface RawResponse<T = unknown> {
  readonly status: number;
  /** Undefined for 204, HEAD and empty answers. */
  readonly body: T | undefined;
}

export interface BytesResponse {
  readonly status: number;
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

export interface TransportOptions {
  readonly address: string;
  readonly token: () => string | undefined;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
}

export class HttpTransport {
  private readonly base: string;
  constructor(private readonly o: TransportOptions) {
    this.base = o.address.replace(/\/+$/, '');
  }

  async request<T = unknown>(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<RawResponse<T>> {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const { res, what } = await this.exchange(method, path, opts, body, 'application/json');
    const text = method === 'HEAD' ? '' : await res.text();
    let parsed: unknown;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new CofferApiError(res.status, [`the server answered a body that is not JSON (HTTP ${res.status})`], 'bad-response', what);
      }
    }
    if (res.status >= 400 && !(opts.acceptStatuses ?? []).includes(res.status)) {
      throw new CofferApiError(res.status, errorsOf(parsed), 'http', what);
    }
    return { status: res.status, body: parsed as T | undefined };
  }

  /** Raw bytes out and in (e.g. `sys/storage/raft/snapshot`); an error answer is parsed as Vault's JSON. */
  async requestBytes(method: HttpMethod, path: string, opts: BytesRequestOptions = {}): Promise<BytesResponse> {
    const { res, what } = await this.exchange(method, path, opts, opts.body, 'application/octet-stream');
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (res.status >= 400 && !(opts.acceptStatuses ?? []).includes(res.status)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
      } catch {
        parsed = undefined;
      }
      throw new CofferApiError(res.status, errorsOf(parsed), 'http', what);
    }
    return { status: res.status, bytes, contentType: res.headers.get('content-type') ?? '' };
  }

  private async exchange(
    method: HttpMethod,
    path: string,
    opts: Omit<RequestOptions, 'body'>,
    body: string | Uint8Array | undefined,
    defaultContentType: string,
  ): Promise<{ res: Response; what: string }> {
    const clean = path.replace(/^\/+/, '').replace(/^v1\//, '');
    const what = `${method} /v1/${clean}`;
    const url = new URL(`${this.base}/v1/${clean.split('/').map(encodeURIComponent).join('/')}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, String(v));
    // As Vault's Go client: LIST travels as GET ?list=true (Node's HTTP parser refuses LIST).
    if (method === 'LIST') url.searchParams.set('list', 'true');
    const wireMethod = method === 'LIST' ? 'GET' : method;
    const headers: Record<string, string> = { 'X-Vault-Request': 'true' };
    const token = opts.token ?? this.o.token();
    if (token !== undefined && token !== '') headers['X-Vault-Token'] = token;
    if (body !== undefined) headers['Content-Type'] = opts.contentType ?? defaultContentType;
    // fetch takes bytes backed by a plain ArrayBuffer: copy a view of any other (e.g. a Buffer's pool).
    const wireBody = body === undefined ? undefined : typeof body === 'string' ? body : new Uint8Array(body);
    try {
      const res = await this.o.fetch(url, { method: wireMethod, headers, ...(wireBody !== undefined ? { body: wireBody } : {}), signal: AbortSignal.timeout(this.o.timeoutMs) });
      return { res, what };
    } catch (e: unknown) {
      const isTimeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      // The cause's message names the address and the errno, never the request's contents.
      const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : 'fetch failed';
      throw new CofferApiError(0, [isTimeout ? `no answer within ${this.o.timeoutMs} ms` : cause], isTimeout ? 'timeout' : 'network', what);
    }
  }
}
