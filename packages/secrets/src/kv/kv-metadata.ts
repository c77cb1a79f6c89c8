/** KV v2 `metadata/:key` (read, write, delete, list) and `config` (read, write). */
import { badRequest, noContent, notFound, respond } from '../logical/response.js';
import { bodyObject, boolField, durationField, intField, isObject, unknownFieldsWarning } from '../logical/params.js';
import type { EngineContext, LogicalRequest, Outcome } from '../logical/types.js';
import { goDuration } from '../logical/time.js';
import { CONFIG_PATH, keyMetadataBody, metadataPath, newKeyMeta, readConfig, readMeta, versionsPrefix } from './kv-records.js';
import { commitWith, kvEnvelope, putAll, unwrap } from './kv-common.js';

const METADATA_FIELDS = ['max_versions', 'cas_required', 'delete_version_after', 'custom_metadata'];
const MAX_CUSTOM_KEYS = 64;
const MAX_CUSTOM_KEY_CHARS = 128;
const MAX_CUSTOM_VALUE_CHARS = 512;

export function readMetadata(ctx: EngineContext, key: string): Outcome {
  const meta = unwrap(readMeta(ctx.storage, key));
  if ('stop' in meta) return meta.stop;
  return respond(meta.value === undefined ? notFound() : kvEnvelope(keyMetadataBody(meta.value)));
}

export function listKeys(ctx: EngineContext, prefix: string): Outcome {
  const dir = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  const keys = ctx.storage.listChildren(metadataPath(dir));
  return respond(keys.length === 0 ? notFound() : kvEnvelope({ keys }));
}

/** Vault's custom_metadata rules; with `allowNull` (PATCH) a null value means "remove this key". */
function customMetadata(raw: unknown, allowNull: boolean): { value: Record<string, string | null> } | { error: string } {
  const prefix = 'custom_metadata validation failed';
  if (!isObject(raw)) return { error: `${prefix}: expected a JSON object of strings` };
  const out: Record<string, string | null> = {};
  const entries = Object.entries(raw);
  if (entries.length > MAX_CUSTOM_KEYS) return { error: `${prefix}: payload must contain at most ${MAX_CUSTOM_KEYS} keys, provided ${entries.length}` };
  for (const [k, v] of entries) {
    if (v === null && allowNull) {
      out[k] = null;
      continue;
    }
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return { error: `${prefix}: value for key "${k}" must be a string` };
    const s = String(v);
    if (k.length === 0 || k.length > MAX_CUSTOM_KEY_CHARS) return { error: `${prefix}: length of key "${k}" must be 0 < len(key) <= ${MAX_CUSTOM_KEY_CHARS}` };
    if (s.length === 0 || s.length > MAX_CUSTOM_VALUE_CHARS) return { error: `${prefix}: length of value for key "${k}" must be 0 < len(value) <= ${MAX_CUSTOM_VALUE_CHARS}` };
    out[k] = s;
  }
  return { value: out };
}

/**
 * POST (and PATCH) metadata/:key. POST replaces custom_metadata and creates the key's metadata if
 * absent; PATCH needs an existing key and merges custom_metadata (a null value removes that entry).
 */
export function writeMetadata(req: LogicalRequest, ctx: EngineContext, key: string, isPatch = false): Outcome {
  const body = bodyObject(req.data);
  if (!body.ok) return respond(badRequest(body.error));
  const b = body.value;
  const max = 'max_versions' in b ? intField('max_versions', b['max_versions'], 0) : undefined;
  const cas = 'cas_required' in b ? boolField('cas_required', b['cas_required']) : undefined;
  const dva = 'delete_version_after' in b ? durationField('delete_version_after', b['delete_version_after']) : undefined;
  const cm = 'custom_metadata' in b ? customMetadata(b['custom_metadata'], isPatch) : undefined;
  for (const f of [max, cas, dva]) if (f !== undefined && !f.ok) return respond(badRequest(f.error));
  if (cm !== undefined && 'error' in cm) return respond(badRequest(cm.error));
  const warnings = unknownFieldsWarning(b, METADATA_FIELDS);
  if (max === undefined && cas === undefined && dva === undefined && cm === undefined) return respond(noContent());

  const config = unwrap(readConfig(ctx.storage));
  if ('stop' in config) return config.stop;
  if (cas?.ok === true && !cas.value && config.value.casRequired) {
    warnings.push('"cas_required" set to false, but is mandated by backend config. This value will be ignored.');
  }
  const found = unwrap(readMeta(ctx.storage, key));
  if ('stop' in found) return found.stop;
  if (isPatch && found.value === undefined) return respond(notFound());
  const meta = found.value ?? { ...newKeyMeta(key), createdMs: ctx.nowMs, updatedMs: ctx.nowMs };
  if (max?.ok === true) meta.maxVersions = max.value;
  if (cas?.ok === true) meta.casRequired = cas.value;
  if (dva?.ok === true) meta.deleteVersionAfterS = dva.value;
  if (cm !== undefined && 'value' in cm) {
    if (isPatch) {
      const merged: Record<string, string> = { ...(meta.customMetadata ?? {}) };
      for (const [k, v] of Object.entries(cm.value)) if (v === null) delete merged[k]; else merged[k] = v;
      meta.customMetadata = merged;
    } else meta.customMetadata = cm.value as Record<string, string>;
  }
  const failed = putAll(ctx.storage, [[metadataPath(key), meta]]);
  if (failed !== undefined) return failed;
  return commitWith(() => (warnings.length > 0 ? kvEnvelope(null, { warnings }) : noContent()));
}

/** DELETE metadata/:key: the key's metadata and every version, permanently. */
export function deleteMetadata(ctx: EngineContext, key: string): Outcome {
  const found = unwrap(readMeta(ctx.storage, key));
  if ('stop' in found) return found.stop;
  if (found.value === undefined) return respond(noContent());
  ctx.storage.delPrefix(versionsPrefix(key));
  ctx.storage.del(metadataPath(key));
  return commitWith(noContent);
}

export function readEngineConfig(ctx: EngineContext): Outcome {
  const config = unwrap(readConfig(ctx.storage));
  if ('stop' in config) return config.stop;
  const c = config.value;
  return respond(kvEnvelope({ cas_required: c.casRequired, delete_version_after: goDuration(c.deleteVersionAfterS), max_versions: c.maxVersions }));
}

export function writeEngineConfig(req: LogicalRequest, ctx: EngineContext): Outcome {
  const body = bodyObject(req.data);
  if (!body.ok) return respond(badRequest(body.error));
  const b = body.value;
  const max = 'max_versions' in b ? intField('max_versions', b['max_versions'], 0) : undefined;
  const cas = 'cas_required' in b ? boolField('cas_required', b['cas_required']) : undefined;
  const dva = 'delete_version_after' in b ? durationField('delete_version_after', b['delete_version_after']) : undefined;
  for (const f of [max, cas, dva]) if (f !== undefined && !f.ok) return respond(badRequest(f.error));
  const warnings = unknownFieldsWarning(b, ['max_versions', 'cas_required', 'delete_version_after']);
  const config = unwrap(readConfig(ctx.storage));
  if ('stop' in config) return config.stop;
  const c = config.value;
  if (max?.ok === true) c.maxVersions = max.value;
  if (cas?.ok === true) c.casRequired = cas.value;
  if (dva?.ok === true) c.deleteVersionAfterS = dva.value;
  const failed = putAll(ctx.storage, [[CONFIG_PATH, c]]);
  if (failed !== undefined) return failed;
  return commitWith(() => (warnings.length > 0 ? kvEnvelope(null, { warnings }) : noContent()));
}
