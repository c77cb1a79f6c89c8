/**
 * One Vault HTTP exchange over fetch: `/v1/<path>`, the token in `X-Vault-Token`, a JSON body,
 * the JSON answer parsed. Status >= 400 throws `CofferApiError` unless the caller accepts it
 * (sys/health reports its state in the status code).
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

export interface RawResponse<T = unknown> {
  readonly status: number;
  /** Undefined for 204, HEAD and empty answers. */
  readonly body: T | undefined;
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
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = opts.contentType ?? 'application/json';
    }
    let res: Response;
    try {
      res = await this.o.fetch(url, { method: wireMethod, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(this.o.timeoutMs) });
    } catch (e: unknown) {
      const isTimeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      // The cause's message names the address and the errno, never the request's contents.
      const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : 'fetch failed';
      throw new CofferApiError(0, [isTimeout ? `no answer within ${this.o.timeoutMs} ms` : cause], isTimeout ? 'timeout' : 'network', what);
    }
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
}
