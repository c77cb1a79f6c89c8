/**
 * Audit by composition: wraps any executor (`execute(req)`) so that every request is logged before
 * it runs and every response after. Order is the guarantee: the request line is written BEFORE the
 * inner executor is called, and if no enabled device could write it the request is refused (500)
 * and never executed, so nothing is ever changed unaudited. A response that cannot be logged is
 * turned into a 500 too (as Vault), though its write may already have committed.
 *
 * The request id is drawn here, written to both lines and stamped on the response envelope, so a
 * client's `request_id` finds its audit lines.
 */
import { errorResponse, stampRequestId } from '../logical/response.js';
import { STATUS_BY_KIND } from '../logical/response.js';
import type { Crypter, LogicalRequest, LogicalResponse, StorageReader } from '../logical/types.js';
import type { AuditBroker } from './broker.js';
import { AUDIT_DEVICES_PATH, loadAuditDevices } from './config.js';
import type { AuditAuth, AuditRequestInfo } from './entry.js';
import { probeAuditEnable } from './enable-probe.js';

export interface LogicalExecutor {
  execute(req: LogicalRequest): Promise<LogicalResponse>;
}

export interface AuditedExecutorOptions {
  readonly broker: AuditBroker;
  /**
   * This node's applied state and barrier. When given, the broker is reloaded from
   * `core/audit/devices` before a request whenever that record's modIndex moved, so a device
   * enabled (on any leader) is in force for the very next request. Without it the node must call
   * `broker.reload` itself after applying entries that touch `core/audit/`.
   */
  readonly source?: { readonly reader: StorageReader; readonly crypter: Crypter };
  /** Resolves the caller's token for the `auth` block (policies, accessor); absent = token only. */
  readonly describeToken?: (token: string) => AuditAuth | undefined | Promise<AuditAuth | undefined>;
  readonly nowMs?: () => number;
  readonly randomId?: () => string;
  /** Vault's enable-time check that a file device's path opens (default true). */
  readonly probeEnable?: boolean;
}

export interface AuditMeta {
  readonly remoteAddress?: string;
}

export const REQUEST_NOT_AUDITED = 'audit: no enabled audit device could log the request, so it was not executed';
export const RESPONSE_NOT_AUDITED = 'audit: no enabled audit device could log the response; the request may have been applied';

export class AuditedExecutor implements LogicalExecutor {
  /** modIndex of the device table the broker was last built from (-1: never). */
  private loadedModIndex = -1;

  constructor(
    private readonly inner: LogicalExecutor,
    private readonly opts: AuditedExecutorOptions,
  ) {}

  async execute(req: LogicalRequest, meta: AuditMeta = {}): Promise<LogicalResponse> {
    const synced = this.syncDevices();
    if (synced !== undefined) return synced;
    const now = this.opts.nowMs ?? Date.now;
    const auth = req.token === undefined ? undefined : await this.opts.describeToken?.(req.token);
    const info: AuditRequestInfo = {
      id: (this.opts.randomId ?? (() => globalThis.crypto.randomUUID()))(),
      timeMs: now(),
      ...(meta.remoteAddress !== undefined ? { remoteAddress: meta.remoteAddress } : {}),
      ...(auth !== undefined ? { auth } : {}),
    };
    const logged = await this.opts.broker.logRequest(req, info);
    if (!logged.ok) return errorResponse(500, REQUEST_NOT_AUDITED);
    const refused = this.opts.probeEnable === false ? undefined : await probeAuditEnable(req);
    const res = stampRequestId(refused ?? (await this.inner.execute(req)), info.id);
    const loggedResponse = await this.opts.broker.logResponse(req, res, { ...info, responseTimeMs: now() });
    if (!loggedResponse.ok) return errorResponse(500, RESPONSE_NOT_AUDITED);
    return res;
  }

  /** Reloads the broker if the applied device table changed; an error response when it cannot be read. */
  private syncDevices(): LogicalResponse | undefined {
    const source = this.opts.source;
    if (source === undefined) return undefined;
    const modIndex = source.reader.get(AUDIT_DEVICES_PATH)?.modIndex ?? 0;
    if (modIndex === this.loadedModIndex) return undefined;
    const loaded = loadAuditDevices(source.reader, source.crypter);
    // Fail closed: devices we cannot read may be enabled, so nothing runs unaudited (sealed -> 503).
    if (!loaded.ok) return errorResponse(STATUS_BY_KIND[loaded.error.kind], `audit: cannot load the audit device table: ${loaded.error.message}`);
    this.opts.broker.reload(loaded.value.devices);
    this.loadedModIndex = loaded.value.modIndex;
    return undefined;
  }
}

/** `withAudit(executor, broker, opts)`: the same as `new AuditedExecutor(executor, {broker, ...opts})`. */
export function withAudit(inner: LogicalExecutor, broker: AuditBroker, opts: Omit<AuditedExecutorOptions, 'broker'> = {}): AuditedExecutor {
  return new AuditedExecutor(inner, { ...opts, broker });
}
