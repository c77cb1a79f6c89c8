/**
 * The audit broker: this node's live audit devices, built from the replicated device table, and
 * the fan-out of each entry to all of them. Vault's rule: an entry counts as logged when at least
 * one enabled device wrote it; when every device failed, the caller must fail the request. With no
 * device enabled, auditing is off and everything counts as logged.
 */
import { cofferError, err, ok } from '@coffer/base';
import type { Result } from '@coffer/base';
import type { LogicalRequest, LogicalResponse } from '../logical/types.js';
import type { AuditDeviceConfig } from './config.js';
import { requestEntry, responseEntry } from './entry.js';
import type { AuditRequestInfo, EntryHasher } from './entry.js';
import { hashString } from './hash.js';
import { DiscardSink, FileSink, StreamSink } from './sinks.js';
import type { AuditSink, LineWriter } from './sinks.js';

export interface AuditBrokerOptions {
  /** Where `file_path: "stdout"` devices write; defaults to `process.stdout`. */
  readonly stdout?: LineWriter;
  /** Opens a file device's sink (tests inject failures); defaults to `FileSink`. */
  readonly openFile?: (filePath: string, mode: number) => AuditSink;
  /** Told about each device that failed to write (path and OS error code only: never the line). */
  readonly onDeviceError?: (devicePath: string, code: string) => void;
}

interface LiveDevice {
  readonly config: AuditDeviceConfig;
  /** Identity of the config this device was built from, to keep it (and its file) across reloads. */
  readonly fingerprint: string;
  readonly hasher: EntryHasher;
  readonly prefix: string;
  readonly sink: AuditSink;
}

const fingerprint = (c: AuditDeviceConfig): string => JSON.stringify([c.type, c.options, c.hmacKeyHex]);

function errorCode(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') return e.code;
  return e instanceof Error ? e.name : 'unknown';
}

export class AuditBroker {
  private devices = new Map<string, LiveDevice>();

  constructor(private readonly opts: AuditBrokerOptions = {}) {}

  get devicePaths(): string[] {
    return [...this.devices.keys()];
  }

  /**
   * Makes the live devices match `configs` (the applied `core/audit/devices` table). Unchanged
   * devices keep their open files; removed or changed ones are closed in the background.
   */
  reload(configs: readonly AuditDeviceConfig[]): void {
    const next = new Map<string, LiveDevice>();
    for (const config of configs) {
      const old = this.devices.get(config.path);
      next.set(config.path, old !== undefined && old.fingerprint === fingerprint(config) ? old : this.build(config));
    }
    for (const [path, dev] of this.devices) {
      if (next.get(path) !== dev) void dev.sink.close().catch(() => undefined);
    }
    this.devices = next;
  }

  private build(config: AuditDeviceConfig): LiveDevice {
    const filePath = config.options['file_path'] ?? '';
    const mode = Number.parseInt(config.options['mode'] ?? '0600', 8);
    let sink: AuditSink;
    if (filePath === 'stdout') sink = new StreamSink(this.opts.stdout ?? process.stdout);
    else if (filePath === 'discard') sink = new DiscardSink();
    else sink = (this.opts.openFile ?? ((p, m) => new FileSink(p, m)))(filePath, mode);
    const key = Buffer.from(config.hmacKeyHex, 'hex');
    const isRaw = config.options['log_raw'] === 'true';
    const hasher: EntryHasher = { hash: isRaw ? (s) => s : (s) => hashString(key, s), hmacAccessor: config.options['hmac_accessor'] !== 'false' };
    return { config, fingerprint: fingerprint(config), hasher, prefix: config.options['prefix'] ?? '', sink };
  }

  logRequest(req: LogicalRequest, info: AuditRequestInfo): Promise<Result<void>> {
    return this.fanOut('request', (h) => requestEntry(req, info, h));
  }

  logResponse(req: LogicalRequest, res: LogicalResponse, info: AuditRequestInfo & { readonly responseTimeMs: number }): Promise<Result<void>> {
    return this.fanOut('response', (h) => responseEntry(req, res, info, h));
  }

  private async fanOut(what: string, entry: (h: EntryHasher) => Record<string, unknown>): Promise<Result<void>> {
    const devices = [...this.devices.values()];
    if (devices.length === 0) return ok(undefined);
    const results = await Promise.allSettled(devices.map((d) => d.sink.write(`${d.prefix}${JSON.stringify(entry(d.hasher))}\n`)));
    const failures: string[] = [];
    results.forEach((r, i) => {
      const path = devices[i]?.config.path ?? '?';
      if (r.status === 'rejected') {
        failures.push(`${path}: ${errorCode(r.reason)}`);
        this.opts.onDeviceError?.(path, errorCode(r.reason));
      }
    });
    if (failures.length < devices.length) return ok(undefined);
    return err(cofferError('internal', `no enabled audit device could log the ${what} (${failures.join(', ')})`));
  }

  /** Reopens every file device (after log rotation). */
  async reopen(): Promise<void> {
    await Promise.all([...this.devices.values()].map((d) => d.sink.reopen()));
  }

  async close(): Promise<void> {
    const devices = [...this.devices.values()];
    this.devices = new Map();
    await Promise.all(devices.map((d) => d.sink.close()));
  }
}
