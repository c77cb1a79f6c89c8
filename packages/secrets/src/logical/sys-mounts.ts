/**
 * Built-in `sys/mounts` engine (sees the core view, prefix ''): list the mount table, mount an
 * engine at a new path (its storage prefix `logical/<id>/` drawn by the leader), unmount (drops
 * the mount's whole storage prefix in the same txn).
 */
import { badRequest, envelope, noContent, fromError, errorResponse, respond } from './response.js';
import { bodyObject, isObject } from './params.js';
import { LOGICAL_PREFIX, MOUNTS_PATH, RESERVED_MOUNT_PREFIXES, readMounts } from './mounts.js';
import type { Engine, EngineContext, LogicalRequest, MountEntry, Outcome } from './types.js';

export class SysMountsEngine implements Engine {
  readonly type = 'system';

  /** `knownTypes`: the engine types that may be mounted (the executor's engine registry keys). */
  constructor(private readonly knownTypes: ReadonlySet<string>) {}

  handle(req: LogicalRequest, ctx: EngineContext): Promise<Outcome> {
    return Promise.resolve(this.route(req, ctx));
  }

  private route(req: LogicalRequest, ctx: EngineContext): Outcome {
    const mounts = readMounts(ctx.storage);
    if (!mounts.ok) return respond(fromError(mounts.error));
    const rest = ctx.path.replace(/^mounts\/?/, '');
    if (!ctx.path.startsWith('mounts')) return respond(errorResponse(404, 'unsupported path'));
    if (rest === '') {
      if (req.operation !== 'read') return respond(errorResponse(405, 'unsupported operation'));
      const data: Record<string, unknown> = {};
      for (const m of mounts.value) data[m.path] = { type: m.type, description: m.description, options: m.options };
      return respond(envelope(data, { mountType: 'system' }));
    }
    const path = rest.endsWith('/') ? rest : `${rest}/`;
    if (req.operation === 'delete') return unmount(ctx, mounts.value, path);
    if (req.operation !== 'create' && req.operation !== 'update') return respond(errorResponse(405, 'unsupported operation'));
    return this.mount(req, ctx, mounts.value, path);
  }

  private mount(req: LogicalRequest, ctx: EngineContext, mounts: MountEntry[], path: string): Outcome {
    const body = bodyObject(req.data);
    if (!body.ok) return respond(badRequest(body.error));
    const rawType = body.value['type'];
    if (typeof rawType !== 'string' || rawType === '') return respond(badRequest('invalid value for field "type": expected a non-empty string'));
    const rawOptions = body.value['options'] ?? {};
    if (!isObject(rawOptions) || !Object.values(rawOptions).every((v) => typeof v === 'string')) {
      return respond(badRequest('invalid value for field "options": expected a JSON object of strings'));
    }
    const description = body.value['description'] ?? '';
    if (typeof description !== 'string') return respond(badRequest('invalid value for field "description": expected a string'));
    // Vault accepts `kv-v2` as shorthand for `kv` with version 2; KV v1 is not built.
    const type = rawType === 'kv-v2' ? 'kv' : rawType;
    const options: Record<string, string> = { ...(rawOptions as Record<string, string>) };
    if (type === 'kv') {
      if ((options['version'] ?? '2') !== '2') return respond(badRequest('only KV version 2 is supported'));
      options['version'] = '2';
    }
    if (!this.knownTypes.has(type)) return respond(badRequest(`plugin not found in the catalog: ${rawType}`));
    if (RESERVED_MOUNT_PREFIXES.some((p) => path.startsWith(p))) return respond(badRequest(`cannot mount under reserved path "${path}"`));
    const clash = mounts.find((m) => m.path.startsWith(path) || path.startsWith(m.path));
    if (clash !== undefined) return respond(badRequest(`path is already in use at ${clash.path}`));
    const entry: MountEntry = { path, type, options, storagePrefix: `${LOGICAL_PREFIX}${ctx.randomId()}/`, description };
    const put = ctx.storage.putJson(MOUNTS_PATH, [...mounts, entry]);
    if (!put.ok) return respond(fromError(put.error));
    return { kind: 'commit', respond: () => noContent() };
  }
}

function unmount(ctx: EngineContext, mounts: MountEntry[], path: string): Outcome {
  const target = mounts.find((m) => m.path === path);
  if (target === undefined) return respond(noContent());
  const put = ctx.storage.putJson(MOUNTS_PATH, mounts.filter((m) => m !== target));
  if (!put.ok) return respond(fromError(put.error));
  ctx.storage.delPrefix(target.storagePrefix);
  return { kind: 'commit', respond: () => noContent() };
}
