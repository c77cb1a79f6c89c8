/**
 * Audit device configuration: replicated state, one encrypted record `core/audit/devices` holding
 * every enabled device with its HMAC key (drawn by the leader at enable time; only ever stored
 * through the barrier). Every node builds its devices from this record; the record never holds I/O.
 */
import { cofferError, err, ok } from '@coffer/base';
import type { Result } from '@coffer/base';
import { isObject } from '../logical/params.js';
import type { FieldResult } from '../logical/params.js';
import { ScopedView } from '../logical/storage-view.js';
import type { Crypter, StorageReader, StorageView } from '../logical/types.js';

export const AUDIT_DEVICES_PATH = 'core/audit/devices';
export const AUDIT_KEY_BYTES = 32;

export interface AuditDeviceConfig {
  /** Device path with a trailing slash, e.g. `file/`. */
  readonly path: string;
  readonly type: 'file';
  readonly description: string;
  /** Vault's option map, normalised (strings only): file_path, mode, format, prefix, hmac_accessor, log_raw. */
  readonly options: Readonly<Record<string, string>>;
  /** The device's HMAC key, hex. Secret: never listed, never logged. */
  readonly hmacKeyHex: string;
}

const OPTION_NAMES = ['file_path', 'mode', 'format', 'prefix', 'hmac_accessor', 'log_raw'];

/** Validates and fills Vault's defaults (mode 0600, format json, hmac_accessor true, log_raw false). */
export function normaliseOptions(type: unknown, raw: unknown): FieldResult<Record<string, string>> {
  const fail = (error: string): FieldResult<Record<string, string>> => ({ ok: false, error });
  if (type !== 'file') return fail(`unknown backend type: "${String(type)}" (only "file" is supported)`);
  if (raw !== undefined && raw !== null && !isObject(raw)) return fail('invalid value for field "options": expected a JSON object');
  const src: Record<string, unknown> = isObject(raw) ? raw : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(src)) {
    if (typeof v !== 'string' && typeof v !== 'boolean' && typeof v !== 'number') return fail(`invalid value for option "${k}": expected a string`);
    out[k] = String(v);
  }
  // Vault accepts `path` as the old name of `file_path`.
  const filePath = out['file_path'] ?? out['path'];
  delete out['path'];
  if (filePath === undefined || filePath === '') return fail('file_path is required');
  out['file_path'] = filePath;
  const mode = out['mode'] ?? '0600';
  if (!/^0?[0-7]{3}$/.test(mode) && mode !== '0000') return fail(`invalid mode "${mode}": expected an octal string such as "0600"`);
  out['mode'] = mode;
  const format = out['format'] ?? 'json';
  if (format !== 'json') return fail(`unsupported format "${format}" (only "json" is supported)`);
  out['format'] = format;
  for (const [name, dflt] of [['hmac_accessor', 'true'], ['log_raw', 'false']] as const) {
    const v = (out[name] ?? dflt).toLowerCase();
    if (v !== 'true' && v !== 'false' && v !== '1' && v !== '0') return fail(`invalid value for option "${name}": expected a boolean`);
    out[name] = v === 'true' || v === '1' ? 'true' : 'false';
  }
  const unknown = Object.keys(out).filter((k) => !OPTION_NAMES.includes(k));
  if (unknown.length > 0) return fail(`unknown audit option(s): ${unknown.sort().join(', ')}`);
  return { ok: true, value: out };
}

function isDeviceConfig(v: unknown): v is AuditDeviceConfig {
  return (
    isObject(v) && typeof v['path'] === 'string' && v['type'] === 'file' && typeof v['description'] === 'string' &&
    typeof v['hmacKeyHex'] === 'string' && /^[0-9a-f]{64}$/.test(v['hmacKeyHex']) &&
    isObject(v['options']) && Object.values(v['options']).every((o) => typeof o === 'string')
  );
}

/** Reads (and guards) the device table through a core view (prefix ''). Absent = no devices. */
export function readAuditDevices(core: StorageView): Result<AuditDeviceConfig[]> {
  const raw = core.getJson(AUDIT_DEVICES_PATH);
  if (!raw.ok) return raw;
  if (raw.value === undefined) return ok([]);
  if (!Array.isArray(raw.value) || !raw.value.every(isDeviceConfig)) return err(cofferError('internal', 'corrupt audit device table'));
  return ok(raw.value);
}

/**
 * The device table as applied on this node (for `AuditBroker.reload`). Needs the barrier unsealed;
 * `modIndex` lets a caller reload only when the record changed.
 */
export function loadAuditDevices(reader: StorageReader, crypter: Crypter): Result<{ devices: AuditDeviceConfig[]; modIndex: number }> {
  const modIndex = reader.get(AUDIT_DEVICES_PATH)?.modIndex ?? 0;
  const devices = readAuditDevices(new ScopedView(reader, crypter, ''));
  return devices.ok ? ok({ devices: devices.value, modIndex }) : devices;
}
