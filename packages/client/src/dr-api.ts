/**
 * DR replication calls (`sys/replication/*`): status on any node (unauthenticated, works sealed),
 * the primary's calls (root token), the secondary's (a DR operation token in the body) and the
 * generate-root style attempt that makes an operation token from the primary's key shares.
 * Errors throw `CofferApiError` as everywhere else; tokens travel only in bodies and headers.
 */
import { CofferApiError } from './errors.js';
import type { HttpTransport } from './http.js';
import type {
  DrBatchToken, DrBatchTokenRequest, DrOperationTokenAttempt, DrSecondaryToken, DrStatus, ReplicationStatus,
} from './types-dr.js';

const BASE = 'sys/replication/dr';

function must<T>(body: T | undefined, what: string): T {
  if (body === undefined || body === null) throw new CofferApiError(0, ['the server answered without a body'], 'bad-response', what);
  return body;
}

/** The `data` of an envelope, which must be an object. */
function dataOf<T>(body: { data?: T | null } | undefined, what: string): T {
  const d = must(body, what).data;
  if (typeof d !== 'object' || d === null) throw new CofferApiError(0, ['the server answered without data'], 'bad-response', what);
  return d;
}

/** The operation-token attempt answers at the top level (as sys/generate-root); tolerate `data` too. */
function attemptOf(body: (DrOperationTokenAttempt & { data?: unknown }) | undefined, what: string): DrOperationTokenAttempt {
  const b = must(body, what);
  return (typeof b.data === 'object' && b.data !== null ? b.data : b) as DrOperationTokenAttempt;
}

export class DrApi {
  constructor(private readonly t: HttpTransport) {}

  private async post<T>(path: string, body: unknown): Promise<T | undefined> {
    return (await this.t.request<T>('POST', `${BASE}/${path}`, { body })).body;
  }
  private async postStatus(path: string, body: unknown = {}): Promise<DrStatus> {
    return dataOf(await this.post<{ data?: DrStatus }>(path, body), `POST /v1/${BASE}/${path}`);
  }

  /** GET sys/replication/dr/status (any node, no token needed, works sealed). */
  async status(): Promise<DrStatus> {
    const r = await this.t.request<{ data?: DrStatus }>('GET', `${BASE}/status`);
    return dataOf(r.body, `GET /v1/${BASE}/status`);
  }
  /** GET sys/replication/status: `{dr, performance}`. */
  async replicationStatus(): Promise<ReplicationStatus> {
    const r = await this.t.request<{ data?: ReplicationStatus }>('GET', 'sys/replication/status');
    return dataOf(r.body, 'GET /v1/sys/replication/status');
  }

  // Primary side (root token, cluster unsealed).
  primaryEnable(): Promise<DrStatus> {
    return this.postStatus('primary/enable');
  }
  /** A single-use activation token for the secondary `id`; `ttl` in seconds or a Go duration (default 30m). */
  async secondaryToken(id: string, ttl?: number | string): Promise<DrSecondaryToken> {
    const what = `POST /v1/${BASE}/primary/secondary-token`;
    const b = must(await this.post<{ wrap_info?: { token?: string; ttl?: number; creation_time?: string; expires_at?: string } | null }>(
      'primary/secondary-token', { id, ...(ttl !== undefined ? { ttl } : {}) }), what);
    const w = b.wrap_info;
    if (w === undefined || w === null || typeof w.token !== 'string' || w.token === '') {
      throw new CofferApiError(0, ['the server answered without wrap_info.token'], 'bad-response', what);
    }
    return { token: w.token, ttlSeconds: w.ttl ?? 0, expiresAt: w.expires_at ?? '', creationTime: w.creation_time ?? '' };
  }
  revokeSecondary(id: string): Promise<DrStatus> {
    return this.postStatus('primary/revoke-secondary', { id });
  }
  demote(): Promise<DrStatus> {
    return this.postStatus('primary/demote');
  }
  primaryDisable(): Promise<DrStatus> {
    return this.postStatus('primary/disable');
  }
  /** A DR batch token made in advance, usable as `dr_operation_token` on the secondaries. */
  async batchToken(req: DrBatchTokenRequest): Promise<DrBatchToken> {
    const body = {
      ttl: req.ttl,
      ...(req.displayName !== undefined ? { display_name: req.displayName } : {}),
      ...(req.operations !== undefined ? { operations: req.operations } : {}),
    };
    return dataOf(await this.post<{ data?: DrBatchToken }>('primary/batch-token', body), `POST /v1/${BASE}/primary/batch-token`);
  }

  // Secondary side.
  /** WIPES this cluster's data: it adopts the primary's data and keys (root token of this cluster). */
  secondaryEnable(token: string): Promise<DrStatus> {
    return this.postStatus('secondary/enable', { token });
  }
  promote(drOperationToken: string): Promise<DrStatus> {
    return this.postStatus('secondary/promote', { dr_operation_token: drOperationToken });
  }
  /**
   * `token` is a new activation token from the new primary; "" follows nobody. On a fenced primary
   * the server also takes the root client token instead: pass `undefined` to send no operation token.
   */
  updatePrimary(drOperationToken: string | undefined, token: string): Promise<DrStatus> {
    return this.postStatus('secondary/update-primary', { ...(drOperationToken !== undefined ? { dr_operation_token: drOperationToken } : {}), token });
  }
  secondaryDisable(drOperationToken: string): Promise<DrStatus> {
    return this.postStatus('secondary/disable', { dr_operation_token: drOperationToken });
  }
  async deleteOperationToken(drOperationToken: string): Promise<void> {
    await this.post('secondary/operation-token/delete', { dr_operation_token: drOperationToken });
  }

  /** The generate-root style attempt of `secondary/generate-operation-token`. */
  readonly generateOperationToken = {
    attemptStatus: async (): Promise<DrOperationTokenAttempt> => {
      const p = `${BASE}/secondary/generate-operation-token/attempt`;
      return attemptOf((await this.t.request<DrOperationTokenAttempt>('GET', p)).body, `GET /v1/${p}`);
    },
    /** Starts an attempt; the answer carries the OTP once (keep it to decode the result). */
    attemptStart: async (): Promise<DrOperationTokenAttempt> => {
      const p = 'secondary/generate-operation-token/attempt';
      return attemptOf(await this.post<DrOperationTokenAttempt>(p, {}), `POST /v1/${BASE}/${p}`);
    },
    attemptCancel: async (): Promise<void> => {
      await this.t.request('DELETE', `${BASE}/secondary/generate-operation-token/attempt`);
    },
    /** One share of the PRIMARY's unseal (or recovery) key; when complete, `encoded_token` is set. */
    update: async (key: string, nonce: string): Promise<DrOperationTokenAttempt> => {
      const p = 'secondary/generate-operation-token/update';
      return attemptOf(await this.post<DrOperationTokenAttempt>(p, { key, nonce }), `POST /v1/${BASE}/${p}`);
    },
  };
}
