/**
 * Transit key management: `keys/:name` create/read/delete, LIST `keys`, `keys/:name/rotate`,
 * `keys/:name/config`. Messages and checks follow Vault's `path_keys.go`, `path_rotate.go` and
 * `path_keys_config.go`. Key material is drawn here, on the leader, from the engine's CSPRNG.
 */
import { badRequest, envelope, fromError, noContent, notFound, respond } from '../logical/response.js';
import { boolField, bodyObject, intField, unknownFieldsWarning } from '../logical/params.js';
import type { JsonObject } from '../logical/params.js';
import type { EngineContext, LogicalRequest, LogicalResponse, Outcome } from '../logical/types.js';
import { KEY_BYTES, VAULT_ONLY_KEY_TYPES, isKeyType } from './transit-crypto.js';
import { POLICY_PREFIX, TRANSIT_MOUNT_TYPE, keyInfo, newKeyRecord, policyPath, readKey, rotatedRecord, writeKey } from './transit-records.js';
import type { NewKeyOptions, TransitKeyRecord } from './transit-records.js';

export type RandomBytes = (bytes: number) => Uint8Array;

export const transitEnvelope = (data: unknown, opts: { warnings?: readonly string[]; status?: number } = {}): LogicalResponse =>
  envelope(data, { mountType: TRANSIT_MOUNT_TYPE, ...opts });

const stop = (res: LogicalResponse): Outcome => respond(res);

function commit(view: EngineContext['storage'], rec: TransitKeyRecord, respondFn: () => LogicalResponse): Outcome {
  const w = writeKey(view, rec);
  return w.ok ? { kind: 'commit', respond: () => respondFn() } : stop(fromError(w.error));
}

/** Optional boolean body field: undefined when absent, a 400 message when malformed. */
export function optBool(body: JsonObject, field: string): { value: boolean | undefined } | { error: string } {
  if (body[field] === undefined) return { value: undefined };
  const b = boolField(field, body[field]);
  return b.ok ? { value: b.value } : { error: b.error };
}

/** Parses `type`, `derived`, `exportable`, `allow_plaintext_backup` for a new key. */
export function newKeyOptions(name: string, body: JsonObject, derivedDefault: boolean): { opts: NewKeyOptions } | { error: string } {
  const rawType = body['type'] ?? 'aes256-gcm96';
  if (typeof rawType !== 'string') return { error: 'invalid value for field "type": expected a string' };
  if (!isKeyType(rawType)) {
    return { error: VAULT_ONLY_KEY_TYPES.includes(rawType) ? `key type ${rawType} is not supported by this server` : `unknown key type ${rawType}` };
  }
  const flags: Record<string, boolean> = {};
  for (const f of ['derived', 'exportable', 'allow_plaintext_backup', 'convergent_encryption']) {
    const b = optBool(body, f);
    if ('error' in b) return b;
    flags[f] = b.value ?? (f === 'derived' ? derivedDefault : false);
  }
  // Convergent encryption (deterministic nonces from the context) is not built; refuse rather than
  // silently encrypt non-convergently.
  if (flags['convergent_encryption'] === true) return { error: 'convergent encryption is not supported by this server' };
  const arp = body['auto_rotate_period'];
  if (arp !== undefined && arp !== 0 && arp !== '0' && arp !== '0s') return { error: 'auto_rotate_period is not supported by this server' };
  return { opts: { name, type: rawType, derived: flags['derived'] === true, exportable: flags['exportable'] === true, allowPlaintextBackup: flags['allow_plaintext_backup'] === true } };
}

const CREATE_FIELDS = ['type', 'derived', 'exportable', 'allow_plaintext_backup', 'convergent_encryption', 'auto_rotate_period'];

/** `POST keys/:name`: creates the key at version 1; an existing key is left as it is (204 both). */
export function createKey(req: LogicalRequest, ctx: EngineContext, name: string, random: RandomBytes): Outcome {
  const body = bodyObject(req.data);
  if (!body.ok) return stop(badRequest(body.error));
  const parsed = newKeyOptions(name, body.value, false);
  if ('error' in parsed) return stop(badRequest(parsed.error));
  const existing = readKey(ctx.storage, name);
  if (!existing.ok) return stop(fromError(existing.error));
  const warnings = unknownFieldsWarning(body.value, CREATE_FIELDS);
  const done = (): LogicalResponse => (warnings.length > 0 ? transitEnvelope(null, { warnings }) : noContent());
  if (existing.value !== undefined) return stop(done());
  return commit(ctx.storage, newKeyRecord(parsed.opts, random(KEY_BYTES), ctx.nowMs), done);
}

export function readKeyInfo(ctx: EngineContext, name: string): Outcome {
  const rec = readKey(ctx.storage, name);
  if (!rec.ok) return stop(fromError(rec.error));
  return stop(rec.value === undefined ? notFound() : transitEnvelope(keyInfo(rec.value)));
}

export function listKeys(ctx: EngineContext): Outcome {
  const names = ctx.storage.listChildren(POLICY_PREFIX).filter((n) => !n.endsWith('/'));
  return stop(names.length === 0 ? notFound() : transitEnvelope({ keys: names }));
}

/** `DELETE keys/:name`: only once `deletion_allowed` was set through `config`. */
export function deleteKey(ctx: EngineContext, name: string): Outcome {
  const rec = readKey(ctx.storage, name);
  if (!rec.ok) return stop(fromError(rec.error));
  if (rec.value === undefined) return stop(badRequest(`error deleting policy ${name}: could not delete key; not found`));
  if (!rec.value.deletionAllowed) return stop(badRequest(`error deleting policy ${name}: deletion is not allowed for this key`));
  ctx.storage.del(policyPath(name));
  return { kind: 'commit', respond: () => noContent() };
}

/** `POST keys/:name/rotate`: a new version drawn from the CSPRNG; answers with the key's info. */
export function rotateKey(ctx: EngineContext, name: string, random: RandomBytes): Outcome {
  const rec = readKey(ctx.storage, name);
  if (!rec.ok) return stop(fromError(rec.error));
  if (rec.value === undefined) return stop(badRequest('key not found'));
  const next = rotatedRecord(rec.value, random(KEY_BYTES), ctx.nowMs);
  return commit(ctx.storage, next, () => transitEnvelope(keyInfo(next)));
}

const CONFIG_FIELDS = ['min_decryption_version', 'min_encryption_version', 'deletion_allowed', 'exportable', 'allow_plaintext_backup', 'auto_rotate_period'];

/** `POST keys/:name/config`, in the order of Vault's `pathKeysConfigWrite`. */
export function configKey(req: LogicalRequest, ctx: EngineContext, name: string): Outcome {
  const body = bodyObject(req.data);
  if (!body.ok) return stop(badRequest(body.error));
  const b = body.value;
  const rec = readKey(ctx.storage, name);
  if (!rec.ok) return stop(fromError(rec.error));
  if (rec.value === undefined) return stop(badRequest(`no existing key named ${name} could be found`));
  const p: { -readonly [K in keyof TransitKeyRecord]: TransitKeyRecord[K] } = { ...rec.value };
  const warnings = unknownFieldsWarning(b, CONFIG_FIELDS);
  if (b['min_decryption_version'] !== undefined) {
    const v = intField('min_decryption_version', b['min_decryption_version']);
    if (!v.ok) return stop(badRequest(v.error));
    if (v.value < 0) return stop(badRequest('min decryption version cannot be negative'));
    let min = v.value;
    if (min === 0) {
      min = 1;
      warnings.push('since Vault 0.3, transit key numbering starts at 1; forcing minimum to 1');
    }
    if (min !== p.minDecryptionVersion && min > p.latestVersion) {
      return stop(badRequest(`cannot set min decryption version of ${min}, latest key version is ${p.latestVersion}`));
    }
    p.minDecryptionVersion = min;
  }
  if (b['min_encryption_version'] !== undefined) {
    const v = intField('min_encryption_version', b['min_encryption_version']);
    if (!v.ok) return stop(badRequest(v.error));
    if (v.value < 0) return stop(badRequest('min encryption version cannot be negative'));
    if (v.value !== p.minEncryptionVersion && v.value > p.latestVersion) {
      return stop(badRequest(`cannot set min encryption version of ${v.value}, latest key version is ${p.latestVersion}`));
    }
    p.minEncryptionVersion = v.value;
  }
  if (p.minEncryptionVersion > 0 && p.minEncryptionVersion < p.minDecryptionVersion) {
    return stop(badRequest(
      `cannot set min encryption/decryption values; min encryption version of ${p.minEncryptionVersion} must be greater than or equal to min decryption version of ${p.minDecryptionVersion}`,
    ));
  }
  for (const [field, key] of [['deletion_allowed', 'deletionAllowed'], ['exportable', 'exportable'], ['allow_plaintext_backup', 'allowPlaintextBackup']] as const) {
    const v = optBool(b, field);
    if ('error' in v) return stop(badRequest(v.error));
    if (v.value === undefined) continue;
    // Like Vault, exportable and allow_plaintext_backup can be switched on but never off again.
    if (key === 'deletionAllowed' || v.value) p[key] = v.value;
  }
  const arp = b['auto_rotate_period'];
  if (arp !== undefined && arp !== 0 && arp !== '0' && arp !== '0s') return stop(badRequest('auto_rotate_period is not supported by this server'));
  const changed = (Object.keys(p) as Array<keyof TransitKeyRecord>).some((k) => p[k] !== rec.value?.[k]);
  const done = (): LogicalResponse => transitEnvelope(keyInfo(p), { warnings });
  return changed ? commit(ctx.storage, p, done) : stop(done());
}
