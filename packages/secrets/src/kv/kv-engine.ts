/**
 * The KV v2 engine: routes a mount-relative path and operation to its handler. Handlers are
 * synchronous (all their reads are from the leader's in-memory applied state); `handle` is async
 * only to fit the Engine interface that slower engines (audit, KMS-backed transit) will need.
 */
import { badRequest, errorResponse, respond } from '../logical/response.js';
import { intField, isObject } from '../logical/params.js';
import type { Engine, EngineContext, LogicalRequest, Outcome } from '../logical/types.js';
import { deleteLatest, readData, readLiveVersion, versionQuery, writeData } from './kv-data.js';
import { deleteMetadata, listKeys, readEngineConfig, readMetadata, writeEngineConfig, writeMetadata } from './kv-metadata.js';
import { changeVersions } from './kv-versions.js';
import { readMeta } from './kv-records.js';
import { KV_MOUNT_TYPE, kvEnvelope } from './kv-common.js';

const unsupportedOperation = (): Outcome => respond(errorResponse(405, 'unsupported operation'));
const unsupportedPath = (): Outcome => respond(errorResponse(404, 'unsupported path'));

const isWrite = (op: LogicalRequest['operation']): boolean => op === 'create' || op === 'update';

export class KvV2Engine implements Engine {
  readonly type = KV_MOUNT_TYPE;

  handle(req: LogicalRequest, ctx: EngineContext): Promise<Outcome> {
    return Promise.resolve(this.route(req, ctx));
  }

  /**
   * Vault's KV v2 existence checks: `data/<key>` and `metadata/<key>` exist when the key's
   * metadata does (so a first write needs `create`, a later one `update`); `config` always
   * exists; other paths (delete/undelete/destroy) have none, so writes there need `update`.
   * On a storage error (sealed, corrupt) the answer does not matter: the handler hits and
   * reports the same error.
   */
  existenceCheck(_req: LogicalRequest, ctx: EngineContext): boolean | undefined {
    const path = ctx.path;
    if (path === 'config') return true;
    const section = path.startsWith('data/') ? 'data/' : path.startsWith('metadata/') ? 'metadata/' : undefined;
    if (section === undefined) return undefined;
    const meta = readMeta(ctx.storage, path.slice(section.length));
    return !meta.ok || meta.value !== undefined;
  }

  private route(req: LogicalRequest, ctx: EngineContext): Outcome {
    const path = ctx.path;
    const op = req.operation;
    if (path === 'config') {
      if (op === 'read') return readEngineConfig(ctx);
      return isWrite(op) ? writeEngineConfig(req, ctx) : unsupportedOperation();
    }
    if (path === 'metadata' || path.startsWith('metadata/')) {
      const key = path.slice('metadata/'.length);
      if (op === 'list') return listKeys(ctx, key);
      if (key === '' || key.endsWith('/')) return unsupportedPath();
      if (op === 'read') return readMetadata(ctx, key);
      if (isWrite(op) || op === 'patch') return writeMetadata(req, ctx, key, op === 'patch');
      return op === 'delete' ? deleteMetadata(ctx, key) : unsupportedOperation();
    }
    const slash = path.indexOf('/');
    const section = slash < 0 ? path : path.slice(0, slash);
    const key = slash < 0 ? '' : path.slice(slash + 1);
    if (!['data', 'delete', 'undelete', 'destroy', 'subkeys'].includes(section)) return unsupportedPath();
    if (key === '' || key.endsWith('/')) return unsupportedPath();
    switch (section) {
      case 'data':
        if (op === 'read') return readData(req, ctx, key);
        if (isWrite(op) || op === 'patch') return writeData(req, ctx, key, op === 'patch');
        return op === 'delete' ? deleteLatest(ctx, key) : unsupportedOperation();
      case 'subkeys':
        return op === 'read' ? readSubkeys(req, ctx, key) : unsupportedOperation();
      default:
        return isWrite(op) ? changeVersions(req, ctx, key, section as 'delete' | 'undelete' | 'destroy') : unsupportedOperation();
    }
  }
}

/** `subkeys/:key?version&depth`: the data's shape with every leaf replaced by null. */
function readSubkeys(req: LogicalRequest, ctx: EngineContext, key: string): Outcome {
  const q = versionQuery(req);
  if ('error' in q) return respond(badRequest(q.error));
  const depthRaw = req.query?.['depth'];
  const depth = depthRaw === undefined || depthRaw === '' ? { ok: true as const, value: 0 } : intField('depth', depthRaw, 0);
  if (!depth.ok) return respond(badRequest(depth.error));
  const live = readLiveVersion(ctx, key, q.version, 'subkeys');
  if ('stop' in live) return live.stop;
  return respond(kvEnvelope({ subkeys: subkeysOf(live.data, depth.value, 1), metadata: live.metadata }));
}

function subkeysOf(value: unknown, maxDepth: number, level: number): unknown {
  if (!isObject(value)) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maxDepth > 0 && level >= maxDepth ? null : subkeysOf(v, maxDepth, level + 1);
  return out;
}
