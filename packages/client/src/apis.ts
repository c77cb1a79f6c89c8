/**
 * Typed groups of calls over one `HttpTransport`, named as the vault CLI names them.
 * Not-found answers of reads come back as `undefined`; every other error throws `CofferApiError`.
 */
import { CofferApiError } from './errors.js';
import type { HttpTransport } from './http.js';
import type {
  Envelope, Health, HealthBody, HealthQuery, InitRequest, InitResponse, KvMetadata, KvSecret, KvVersionMetadata,
  LeaderStatus, PolicyBody, SealStatus, TokenAuth, TokenCreateRequest, TokenLookup,
} from './types.js';
import type { KeyStatus } from './types-admin.js';

const seg = (p: string): string => p.replace(/^\/+|\/+$/g, '');

export class SysApi {
  constructor(private readonly t: HttpTransport) {}

  async initStatus(): Promise<boolean> {
    return ((await this.t.request<{ initialized: boolean }>('GET', 'sys/init')).body?.initialized) === true;
  }
  async init(req: InitRequest = { secret_shares: 5, secret_threshold: 3 }): Promise<InitResponse> {
    return must((await this.t.request<InitResponse>('PUT', 'sys/init', { body: req })).body);
  }
  async unseal(key: string): Promise<SealStatus> {
    return must((await this.t.request<SealStatus>('PUT', 'sys/unseal', { body: { key } })).body);
  }
  async unsealReset(): Promise<SealStatus> {
    return must((await this.t.request<SealStatus>('PUT', 'sys/unseal', { body: { reset: true } })).body);
  }
  async sealStatus(): Promise<SealStatus> {
    return must((await this.t.request<SealStatus>('GET', 'sys/seal-status')).body);
  }
  /** Never throws for a health code: the state is the status (200 active, 429 standby, 501, 503). */
  async health(query: HealthQuery = {}, method: 'GET' | 'HEAD' = 'GET'): Promise<Health> {
    const q: Record<string, string | number | boolean> = { ...query };
    const r = await this.t.request<HealthBody>(method, 'sys/health', { query: q, acceptStatuses: HEALTH_CODES });
    return { status: r.status, body: r.body };
  }
  async leader(): Promise<LeaderStatus> {
    return must((await this.t.request<LeaderStatus>('GET', 'sys/leader')).body);
  }
  async seal(): Promise<void> {
    await this.t.request('PUT', 'sys/seal');
  }
  async stepDown(): Promise<void> {
    await this.t.request('PUT', 'sys/step-down');
  }
  /** Installs a new keyring term (sudo). */
  async rotate(): Promise<void> {
    await this.t.request('PUT', 'sys/rotate');
  }
  async keyStatus(): Promise<KeyStatus> {
    const b = must((await this.t.request<KeyStatus & { data?: KeyStatus }>('GET', 'sys/key-status')).body);
    return b.data ?? b;
  }
  /** `sys/metrics` as text: Prometheus exposition by default, or Vault's JSON (sent with no `format`). */
  async metrics(format: 'prometheus' | 'json' = 'prometheus'): Promise<string> {
    const r = await this.t.requestBytes('GET', 'sys/metrics', format === 'prometheus' ? { query: { format } } : {});
    return Buffer.from(r.bytes).toString('utf8');
  }
}

/**
 * Every status sys/health may answer as a state, including a caller's override codes; 400 (an
 * unparsable code), 403, 404 and 405 still throw: they are errors, not states.
 */
const NOT_STATES: ReadonlySet<number> = new Set([400, 403, 404, 405]);
const HEALTH_CODES: readonly number[] = Array.from({ length: 200 }, (_, i) => 400 + i).filter((s) => !NOT_STATES.has(s));

export class KvApi {
  constructor(private readonly t: HttpTransport, readonly mount = 'secret') {}

  /** Writes a new version; `cas` 0 means create-only. */
  async put(path: string, data: Record<string, unknown>, options: { cas?: number } = {}): Promise<KvVersionMetadata> {
    const body = options.cas === undefined ? { data } : { data, options: { cas: options.cas } };
    return must((await this.t.request<Envelope<KvVersionMetadata>>('PUT', `${this.mount}/data/${seg(path)}`, { body })).body).data;
  }
  async patch(path: string, data: Record<string, unknown>): Promise<KvVersionMetadata> {
    const r = await this.t.request<Envelope<KvVersionMetadata>>('PATCH', `${this.mount}/data/${seg(path)}`, { body: { data }, contentType: 'application/merge-patch+json' });
    return must(r.body).data;
  }
  /** Undefined when the key is missing or its version deleted/destroyed. */
  async get<T = Record<string, unknown>>(path: string, options: { version?: number } = {}): Promise<KvSecret<T> | undefined> {
    const query = options.version === undefined ? {} : { version: options.version };
    const r = await this.t.request<Envelope<KvSecret<T>>>('GET', `${this.mount}/data/${seg(path)}`, { query, acceptStatuses: [404] });
    return r.status === 404 ? undefined : must(r.body).data;
  }
  /** Soft-deletes the latest version. */
  async delete(path: string): Promise<void> {
    await this.t.request('DELETE', `${this.mount}/data/${seg(path)}`);
  }
  async undelete(path: string, versions: readonly number[]): Promise<void> {
    await this.t.request('PUT', `${this.mount}/undelete/${seg(path)}`, { body: { versions } });
  }
  async destroy(path: string, versions: readonly number[]): Promise<void> {
    await this.t.request('PUT', `${this.mount}/destroy/${seg(path)}`, { body: { versions } });
  }
  /** Keys under a folder ("dir/" for sub-folders); [] when there are none. */
  async list(path = ''): Promise<string[]> {
    const r = await this.t.request<Envelope<{ keys: string[] }>>('LIST', `${this.mount}/metadata/${seg(path)}`, { acceptStatuses: [404] });
    return r.status === 404 ? [] : (r.body?.data.keys ?? []);
  }
  async metadata(path: string): Promise<KvMetadata | undefined> {
    const r = await this.t.request<Envelope<KvMetadata>>('GET', `${this.mount}/metadata/${seg(path)}`, { acceptStatuses: [404] });
    return r.status === 404 ? undefined : must(r.body).data;
  }
  /** Removes every version and the metadata. */
  async deleteMetadata(path: string): Promise<void> {
    await this.t.request('DELETE', `${this.mount}/metadata/${seg(path)}`);
  }
}

export class TransitApi {
  constructor(private readonly t: HttpTransport, readonly mount = 'transit') {}

  async createKey(name: string, type = 'aes256-gcm96'): Promise<void> {
    await this.t.request('PUT', `${this.mount}/keys/${seg(name)}`, { body: { type } });
  }
  /** Returns `vault:v<N>:...`; a string plaintext is sent as UTF-8. */
  async encrypt(key: string, plaintext: string | Uint8Array): Promise<string> {
    const b64 = Buffer.from(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext).toString('base64');
    const r = await this.t.request<Envelope<{ ciphertext: string }>>('PUT', `${this.mount}/encrypt/${seg(key)}`, { body: { plaintext: b64 } });
    return must(r.body).data.ciphertext;
  }
  async decrypt(key: string, ciphertext: string): Promise<Uint8Array> {
    const r = await this.t.request<Envelope<{ plaintext: string }>>('PUT', `${this.mount}/decrypt/${seg(key)}`, { body: { ciphertext } });
    return new Uint8Array(Buffer.from(must(r.body).data.plaintext, 'base64'));
  }
}

export class TokenApi {
  constructor(private readonly t: HttpTransport) {}

  async create(req: TokenCreateRequest = {}): Promise<TokenAuth> {
    return authOf(await this.t.request<Envelope<unknown>>('PUT', 'auth/token/create', { body: req }), 'create');
  }
  async lookupSelf(): Promise<TokenLookup> {
    return must((await this.t.request<Envelope<TokenLookup>>('GET', 'auth/token/lookup-self')).body).data;
  }
  /** Another token's record (needs `update` on auth/token/lookup). */
  async lookup(token: string): Promise<TokenLookup> {
    return must((await this.t.request<Envelope<TokenLookup>>('PUT', 'auth/token/lookup', { body: { token } })).body).data;
  }
  async lookupAccessor(accessor: string): Promise<TokenLookup> {
    return must((await this.t.request<Envelope<TokenLookup>>('PUT', 'auth/token/lookup-accessor', { body: { accessor } })).body).data;
  }
  /** `increment` e.g. "1h"; the server caps it at the token's max TTL (with a warning). */
  async renew(token: string, increment?: string): Promise<TokenAuth> {
    return authOf(await this.t.request<Envelope<unknown>>('PUT', 'auth/token/renew', { body: { token, ...(increment !== undefined ? { increment } : {}) } }), 'renew');
  }
  async renewSelf(increment?: string): Promise<TokenAuth> {
    return authOf(await this.t.request<Envelope<unknown>>('PUT', 'auth/token/renew-self', { body: increment !== undefined ? { increment } : {} }), 'renew-self');
  }
  async revokeAccessor(accessor: string): Promise<void> {
    await this.t.request('PUT', 'auth/token/revoke-accessor', { body: { accessor } });
  }
  async revoke(token: string): Promise<void> {
    await this.t.request('PUT', 'auth/token/revoke', { body: { token } });
  }
  async revokeSelf(): Promise<void> {
    await this.t.request('PUT', 'auth/token/revoke-self');
  }
}

export class PolicyApi {
  constructor(private readonly t: HttpTransport) {}

  async write(name: string, rules: string): Promise<void> {
    await this.t.request('PUT', `sys/policies/acl/${seg(name)}`, { body: { policy: rules } });
  }
  async read(name: string): Promise<PolicyBody | undefined> {
    const r = await this.t.request<Envelope<{ name: string; policy?: string; rules?: string }> & { name?: string; rules?: string }>('GET', `sys/policies/acl/${seg(name)}`, { acceptStatuses: [404] });
    if (r.status === 404 || r.body === undefined) return undefined;
    // Vault answers the policy both in `data` (policies/acl: `policy`) and at the top (sys/policy: `rules`).
    const d = r.body.data as { name?: string; policy?: string; rules?: string } | undefined;
    return { name: d?.name ?? r.body.name ?? name, rules: d?.policy ?? d?.rules ?? r.body.rules ?? '' };
  }
  async list(): Promise<string[]> {
    const r = await this.t.request<Envelope<{ keys?: string[]; policies?: string[] }>>('LIST', 'sys/policies/acl', { acceptStatuses: [404] });
    if (r.status === 404 || r.body === undefined) return [];
    return r.body.data.keys ?? r.body.data.policies ?? [];
  }
  async delete(name: string): Promise<void> {
    await this.t.request('DELETE', `sys/policies/acl/${seg(name)}`);
  }
}

function authOf(r: { body: Envelope<unknown> | undefined }, what: string): TokenAuth {
  const auth = must(r.body).auth;
  if (auth === undefined || auth === null) throw new CofferApiError(0, ['answered without an auth block'], 'bad-response', `PUT /v1/auth/token/${what}`);
  return auth;
}

/** A 2xx answer that should carry a body did not. */
function must<T>(body: T | undefined): T {
  if (body === undefined) throw new CofferApiError(0, ['the server answered without a body'], 'bad-response', 'response');
  return body;
}
