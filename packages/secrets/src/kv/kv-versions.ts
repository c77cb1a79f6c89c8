/** KV v2 `delete/:key`, `undelete/:key`, `destroy/:key` with `{versions: [...]}`; all answer 204. */
import { badRequest, noContent, respond } from '../logical/response.js';
import { bodyObject, intListField } from '../logical/params.js';
import type { EngineContext, LogicalRequest, Outcome } from '../logical/types.js';
import { isDeleted, metadataPath, readMeta, versionPath } from './kv-records.js';
import { commitWith, putAll, unwrap } from './kv-common.js';

export type VersionAction = 'delete' | 'undelete' | 'destroy';

export function changeVersions(req: LogicalRequest, ctx: EngineContext, key: string, action: VersionAction): Outcome {
  const body = bodyObject(req.data);
  if (!body.ok) return respond(badRequest(body.error));
  const raw = body.value['versions'];
  const versions = raw === undefined || raw === null ? { ok: true as const, value: [] } : intListField('versions', raw);
  if (!versions.ok) return respond(badRequest(versions.error));
  if (versions.value.length === 0) return respond(badRequest('no version number provided'));

  const found = unwrap(readMeta(ctx.storage, key));
  if ('stop' in found) return found.stop;
  const meta = found.value;
  if (meta === undefined) return respond(noContent());
  let changed = false;
  for (const v of versions.value) {
    const vm = meta.versions[String(v)];
    // Destroyed versions are final: delete, undelete and destroy all leave them alone.
    if (vm === undefined || vm.destroyed) continue;
    if (action === 'delete' && !isDeleted(vm, ctx.nowMs)) {
      vm.deletionMs = ctx.nowMs;
      changed = true;
    } else if (action === 'undelete' && vm.deletionMs !== null) {
      vm.deletionMs = null;
      changed = true;
    } else if (action === 'destroy') {
      vm.destroyed = true;
      ctx.storage.del(versionPath(key, v));
      changed = true;
    }
  }
  if (!changed) return respond(noContent());
  return putAll(ctx.storage, [[metadataPath(key), meta]]) ?? commitWith(noContent);
}
