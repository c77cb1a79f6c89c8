/**
 * Operator calls: rekey (`sys/rekey/*`), integrated storage (`sys/storage/raft/*`, snapshots as
 * raw bytes) and audit devices (`sys/audit`). Errors throw `CofferApiError` as everywhere else.
 */
import { CofferApiError } from './errors.js';
import type { HttpTransport } from './http.js';
import type { Envelope } from './types.js';
import type {
  AuditDevice, AuditEnableRequest, AutopilotState, RaftConfiguration, RaftJoinRequest, RekeyInitRequest, RekeyStatus, RekeyUpdate,
} from './types-admin.js';

const seg = (p: string): string => p.replace(/^\/+|\/+$/g, '');

/** A 2xx answer that should carry a body did not. */
function must<T>(body: T | undefined, what: string): T {
  if (body === undefined) throw new CofferApiError(0, ['the server answered without a body'], 'bad-response', what);
  return body;
}

/** Vault answers some sys endpoints both at the top level and in `data`: take `data` when present. */
function dataOr<T>(body: (T & { data?: unknown }) | undefined, what: string): T {
  const b = must(body, what);
  return (typeof b.data === 'object' && b.data !== null ? b.data : b) as T;
}

export class RekeyApi {
  constructor(private readonly t: HttpTransport) {}

  async status(): Promise<RekeyStatus> {
    return dataOr((await this.t.request<RekeyStatus>('GET', 'sys/rekey/init')).body, 'GET /v1/sys/rekey/init');
  }
  async init(req: RekeyInitRequest): Promise<RekeyStatus> {
    return dataOr((await this.t.request<RekeyStatus>('PUT', 'sys/rekey/init', { body: req })).body, 'PUT /v1/sys/rekey/init');
  }
  async cancel(): Promise<void> {
    await this.t.request('DELETE', 'sys/rekey/init');
  }
  /** One current share; the answer holds the new shares once `complete`. */
  async update(key: string, nonce: string): Promise<RekeyUpdate> {
    return dataOr((await this.t.request<RekeyUpdate>('PUT', 'sys/rekey/update', { body: { key, nonce } })).body, 'PUT /v1/sys/rekey/update');
  }
}

export class RaftApi {
  constructor(private readonly t: HttpTransport) {}

  async configuration(): Promise<RaftConfiguration> {
    const r = await this.t.request<Envelope<{ config: RaftConfiguration }>>('GET', 'sys/storage/raft/configuration');
    return must(r.body, 'GET /v1/sys/storage/raft/configuration').data.config;
  }
  async join(req: RaftJoinRequest): Promise<boolean> {
    const r = await this.t.request<{ joined?: boolean; data?: { joined?: boolean } }>('PUT', 'sys/storage/raft/join', { body: req });
    return r.body?.joined ?? r.body?.data?.joined ?? r.status < 300;
  }
  async removePeer(serverId: string): Promise<void> {
    await this.t.request('PUT', 'sys/storage/raft/remove-peer', { body: { server_id: serverId } });
  }
  /** The snapshot's bytes, exactly as the server sent them. */
  async snapshotSave(): Promise<Uint8Array> {
    return (await this.t.requestBytes('GET', 'sys/storage/raft/snapshot')).bytes;
  }
  /** `force` skips the keyring check (`snapshot-force`): unseal with the snapshot's keys after. */
  async snapshotRestore(snapshot: Uint8Array, options: { force?: boolean } = {}): Promise<void> {
    await this.t.requestBytes('PUT', options.force === true ? 'sys/storage/raft/snapshot-force' : 'sys/storage/raft/snapshot', { body: snapshot });
  }
  async autopilotState(): Promise<AutopilotState> {
    return dataOr((await this.t.request<AutopilotState>('GET', 'sys/storage/raft/autopilot/state')).body, 'GET /v1/sys/storage/raft/autopilot/state');
  }
}

export class AuditApi {
  constructor(private readonly t: HttpTransport) {}

  /** Devices by path ("file/"). */
  async list(): Promise<Record<string, AuditDevice>> {
    return dataOr((await this.t.request<Record<string, AuditDevice>>('GET', 'sys/audit')).body, 'GET /v1/sys/audit');
  }
  async enable(path: string, req: AuditEnableRequest): Promise<void> {
    await this.t.request('PUT', `sys/audit/${seg(path)}`, { body: req });
  }
  async disable(path: string): Promise<void> {
    await this.t.request('DELETE', `sys/audit/${seg(path)}`);
  }
}
