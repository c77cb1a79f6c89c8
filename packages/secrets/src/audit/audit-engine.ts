/**
 * Built-in audit engine, registered at `sys/audit/` and `sys/audit-hash/` (the executor picks the
 * longest matching builtin prefix, so `sys/` may serve the rest). It only changes replicated state (the
 * device table) and computes hashes: no I/O, so it is safe on the leader's request path. The
 * devices themselves are built from the table by each node's `AuditBroker`.
 *
 *   GET    sys/audit              -> {data: {"file/": {type, description, options, local, path}}}
 *   PUT    sys/audit/:path        {type:"file", description?, options:{file_path, mode, format, prefix, hmac_accessor, log_raw}}
 *   DELETE sys/audit/:path        -> 204 (also when absent, as Vault)
 *   PUT    sys/audit-hash/:path   {input} -> {hash: "hmac-sha256:<hex>"}
 */
import { badRequest, envelope, errorResponse, fromError, noContent, respond } from '../logical/response.js';
import { bodyObject, unknownFieldsWarning } from '../logical/params.js';
import type { Engine, EngineContext, LogicalRequest, Outcome } from '../logical/types.js';
import { AUDIT_DEVICES_PATH, AUDIT_KEY_BYTES, normaliseOptions, readAuditDevices } from './config.js';
import type { AuditDeviceConfig } from './config.js';
import { hashString } from './hash.js';

export const AUDIT_CONFIG_PREFIX = 'sys/audit/';
export const AUDIT_HASH_PREFIX = 'sys/audit-hash/';

export type RandomBytes = (byteCount: number) => Uint8Array;

const cryptoRandomBytes: RandomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

export class AuditEngine implements Engine {
  readonly type = 'system';

  /** `randomBytes` must be a CSPRNG in production (the HMAC keys are drawn from it). */
  constructor(private readonly randomBytes: RandomBytes = cryptoRandomBytes) {}

  handle(req: LogicalRequest, ctx: EngineContext): Promise<Outcome> {
    return Promise.resolve(ctx.mount.path === AUDIT_HASH_PREFIX ? auditHash(req, ctx) : this.config(req, ctx));
  }

  private config(req: LogicalRequest, ctx: EngineContext): Outcome {
    const devices = readAuditDevices(ctx.storage);
    if (!devices.ok) return respond(fromError(devices.error));
    if (ctx.path === '') {
      if (req.operation !== 'read' && req.operation !== 'list') return respond(errorResponse(405, 'unsupported operation'));
      const data: Record<string, unknown> = {};
      for (const d of devices.value) data[d.path] = { type: d.type, description: d.description, options: d.options, local: false, path: d.path };
      return respond(envelope(data, { mountType: 'system' }));
    }
    const path = ctx.path.endsWith('/') ? ctx.path : `${ctx.path}/`;
    if (req.operation === 'delete') {
      if (!devices.value.some((d) => d.path === path)) return respond(noContent());
      return commitTable(ctx, devices.value.filter((d) => d.path !== path));
    }
    if (req.operation !== 'create' && req.operation !== 'update') return respond(errorResponse(405, 'unsupported operation'));
    const body = bodyObject(req.data);
    if (!body.ok) return respond(badRequest(body.error));
    const description = body.value['description'] ?? '';
    if (typeof description !== 'string') return respond(badRequest('invalid value for field "description": expected a string'));
    if (body.value['local'] === true || body.value['local'] === 'true') return respond(badRequest('local audit devices are not supported'));
    const options = normaliseOptions(body.value['type'], body.value['options']);
    if (!options.ok) return respond(badRequest(options.error));
    const clash = devices.value.find((d) => d.path === path);
    if (clash !== undefined) return respond(badRequest(`path already in use at ${clash.path}`));
    const key = this.randomBytes(AUDIT_KEY_BYTES);
    if (key.length !== AUDIT_KEY_BYTES) return respond(errorResponse(500, 'internal error: short random read for the audit key'));
    const entry: AuditDeviceConfig = { path, type: 'file', description, options: options.value, hmacKeyHex: Buffer.from(key).toString('hex') };
    const warnings = unknownFieldsWarning(body.value, ['type', 'description', 'options', 'local']);
    return commitTable(ctx, [...devices.value, entry], warnings);
  }
}

function commitTable(ctx: EngineContext, devices: AuditDeviceConfig[], warnings: string[] = []): Outcome {
  const put = ctx.storage.putJson(AUDIT_DEVICES_PATH, devices);
  if (!put.ok) return respond(fromError(put.error));
  return { kind: 'commit', respond: () => (warnings.length > 0 ? envelope(null, { warnings }) : noContent()) };
}

function auditHash(req: LogicalRequest, ctx: EngineContext): Outcome {
  if (req.operation !== 'create' && req.operation !== 'update') return respond(errorResponse(405, 'unsupported operation'));
  const body = bodyObject(req.data);
  if (!body.ok) return respond(badRequest(body.error));
  const input = body.value['input'];
  if (typeof input !== 'string') return respond(badRequest('invalid value for field "input": expected a string'));
  const devices = readAuditDevices(ctx.storage);
  if (!devices.ok) return respond(fromError(devices.error));
  const path = ctx.path.endsWith('/') ? ctx.path : `${ctx.path}/`;
  const device = devices.value.find((d) => d.path === path);
  if (device === undefined) return respond(badRequest(`unknown audit backend ${path}`));
  const hash = hashString(Buffer.from(device.hmacKeyHex, 'hex'), input);
  const res = envelope({ hash }, { mountType: 'system' });
  // Vault answers sys/ reads with the data keys at the top level too (old clients read `hash` there).
  return respond({ status: res.status, body: { ...(res.body as object), hash } });
}

/** The builtins to register (e.g. `new Map([...auditBuiltins(e), ['sys/', mounts]])`). */
export function auditBuiltins(engine: AuditEngine = new AuditEngine()): Array<[string, Engine]> {
  return [[AUDIT_HASH_PREFIX, engine], [AUDIT_CONFIG_PREFIX, engine]];
}
