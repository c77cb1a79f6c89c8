/** KV v2 `data/:key`: read (?version), write (options.cas), patch (JSON merge patch), soft delete. */
import { badRequest, errorResponse, noContent, notFound, respond } from '../logical/response.js';
import { bodyObject, intField, isObject, unknownFieldsWarning } from '../logical/params.js';
import type { JsonObject } from '../logical/params.js';
import type { EngineContext, LogicalRequest, Outcome } from '../logical/types.js';
import { addVersion, deleteAfterS, isDeleted, newKeyMeta, metadataPath, readConfig, readMeta, versionMetadataBody, versionPath } from './kv-records.js';
import type { KeyMeta, KvConfig } from './kv-records.js';
import { commitWith, kvEnvelope, putAll, unwrap } from './kv-common.js';

export const CAS_MISMATCH = 'check-and-set parameter did not match the current version';
export const CAS_REQUIRED = 'check-and-set parameter required for this call';

/** `?version=N` (0 or absent = latest). */
export function versionQuery(req: LogicalRequest): { version: number } | { error: string } {
  const raw = req.query?.['version'];
  if (raw === undefined || raw === '') return { version: 0 };
  const n = intField('version', raw, 0);
  return n.ok ? { version: n.value } : { error: n.error };
}

/**
 * A version's metadata and data, or the answer when there is none to read: 404 for a missing key
 * or version, and 404 *with* the metadata (and `field: null`) for a deleted or destroyed one.
 */
export function readLiveVersion(
  ctx: EngineContext,
  key: string,
  requested: number,
  field: 'data' | 'subkeys',
): { stop: Outcome } | { metadata: ReturnType<typeof versionMetadataBody>; data: unknown } {
  const meta = unwrap(readMeta(ctx.storage, key));
  if ('stop' in meta) return { stop: meta.stop };
  if (meta.value === undefined) return { stop: respond(notFound()) };
  const version = requested > 0 ? requested : meta.value.currentVersion;
  const vm = meta.value.versions[String(version)];
  if (vm === undefined) return { stop: respond(notFound()) };
  const metadata = versionMetadataBody(meta.value, version, vm);
  if (isDeleted(vm, ctx.nowMs) || vm.destroyed) return { stop: respond(kvEnvelope({ [field]: null, metadata }, { status: 404 })) };
  const data = unwrap(ctx.storage.getJson(versionPath(key, version)));
  if ('stop' in data) return { stop: data.stop };
  return { metadata, data: data.value };
}

export function readData(req: LogicalRequest, ctx: EngineContext, key: string): Outcome {
  const q = versionQuery(req);
  if ('error' in q) return respond(badRequest(q.error));
  const live = readLiveVersion(ctx, key, q.version, 'data');
  if ('stop' in live) return live.stop;
  if (live.data === undefined) return respond(errorResponse(500, 'could not find version data'));
  return respond(kvEnvelope({ data: live.data, metadata: live.metadata }));
}

/** Vault's validateCheckAndSetOption. */
function checkCas(options: JsonObject | undefined, config: KvConfig, meta: KeyMeta): string | undefined {
  if (options !== undefined && 'cas' in options) {
    const cas = intField('cas', options['cas']);
    if (!cas.ok) return 'error parsing check-and-set parameter';
    return cas.value === meta.currentVersion ? undefined : CAS_MISMATCH;
  }
  return config.casRequired || meta.casRequired ? CAS_REQUIRED : undefined;
}

/** RFC 7386: null removes, objects merge recursively, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function writeData(req: LogicalRequest, ctx: EngineContext, key: string, isPatch: boolean): Outcome {
  const body = bodyObject(req.data);
  if (!body.ok) return respond(badRequest(body.error));
  if (!('data' in body.value)) return respond(badRequest('no data provided'));
  const data = body.value['data'];
  if (!isObject(data)) return respond(badRequest('invalid value for field "data": expected a JSON object'));
  const rawOptions = body.value['options'];
  if (rawOptions !== undefined && rawOptions !== null && !isObject(rawOptions)) {
    return respond(badRequest('invalid value for field "options": expected a JSON object'));
  }
  const options = isObject(rawOptions) ? rawOptions : undefined;
  const warnings = unknownFieldsWarning(body.value, ['data', 'options', 'version']);

  const config = unwrap(readConfig(ctx.storage));
  if ('stop' in config) return config.stop;
  const found = unwrap(readMeta(ctx.storage, key));
  if ('stop' in found) return found.stop;
  if (isPatch && found.value === undefined) return respond(notFound());
  const meta = found.value ?? newKeyMeta(key);
  const casProblem = checkCas(options, config.value, meta);
  if (casProblem !== undefined) return respond(badRequest(casProblem));

  let newData: unknown = data;
  if (isPatch) {
    const current = meta.versions[String(meta.currentVersion)];
    if (current === undefined) return respond(notFound());
    if (isDeleted(current, ctx.nowMs) || current.destroyed) {
      return respond(kvEnvelope(versionMetadataBody(meta, meta.currentVersion, current), { status: 404 }));
    }
    const existing = unwrap(ctx.storage.getJson(versionPath(key, meta.currentVersion)));
    if ('stop' in existing) return existing.stop;
    newData = mergePatch(existing.value, data);
  }

  const afterS = deleteAfterS(meta, config.value);
  const vm = { createdMs: ctx.nowMs, deletionMs: afterS > 0 ? ctx.nowMs + afterS * 1000 : null, destroyed: false };
  const pruned = addVersion(meta, vm, config.value);
  const failed = putAll(ctx.storage, [[versionPath(key, meta.currentVersion), newData], [metadataPath(key), meta]]);
  if (failed !== undefined) return failed;
  for (const v of pruned) ctx.storage.del(versionPath(key, v));
  const version = meta.currentVersion;
  return commitWith(() => kvEnvelope(versionMetadataBody(meta, version, vm), { warnings }));
}

/** DELETE data/:key: soft-deletes the latest version; 204 whatever there was. */
export function deleteLatest(ctx: EngineContext, key: string): Outcome {
  const found = unwrap(readMeta(ctx.storage, key));
  if ('stop' in found) return found.stop;
  const meta = found.value;
  const latest = meta?.versions[String(meta.currentVersion)];
  if (meta === undefined || latest === undefined || latest.destroyed || isDeleted(latest, ctx.nowMs)) return respond(noContent());
  latest.deletionMs = ctx.nowMs;
  return putAll(ctx.storage, [[metadataPath(key), meta]]) ?? commitWith(noContent);
}
