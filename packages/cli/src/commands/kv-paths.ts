/**
 * Where a `kv` command points. With `-mount=M` the argument is the path inside M. Without it, as
 * vault's path style, `secret/app/db` means mount `secret`, path `app/db`; an argument without a
 * slash is a path in the default mount `secret` (`kv get db`), except for `kv list` where it names
 * the mount (`kv list secret`, as vault).
 */
import { UsageError, type Ctx } from './command.js';
import type { FlagSpec } from './args.js';

export const DEFAULT_KV_MOUNT = 'secret';

export const MOUNT_FLAG: FlagSpec = { kind: 'string', usage: 'The KV v2 mount; the path argument is then relative to it.', default: 'secret (or the first segment of the path)' };

export interface KvTarget {
  readonly mount: string;
  /** Inside the mount, no leading or trailing slash ('' = the mount's root). */
  readonly path: string;
}

export function kvTarget(ctx: Ctx, arg: string | undefined, options: { allowRoot?: boolean } = {}): KvTarget {
  const given = ctx.args.string('mount');
  const clean = (s: string): string => s.replace(/^\/+|\/+$/g, '');
  let t: KvTarget;
  if (given !== undefined) {
    t = { mount: clean(given), path: clean(arg ?? '') };
  } else {
    const a = clean(arg ?? '');
    const slash = a.indexOf('/');
    // `kv list secret` lists the mount's root (as vault); `kv get db` reads secret/db.
    const isMountOnly = options.allowRoot === true || (arg ?? '').endsWith('/');
    if (slash >= 0) t = { mount: a.slice(0, slash), path: a.slice(slash + 1) };
    else t = isMountOnly ? { mount: a === '' ? DEFAULT_KV_MOUNT : a, path: '' } : { mount: DEFAULT_KV_MOUNT, path: a };
  }
  if (t.mount === '') throw new UsageError('no mount: give -mount=<mount> or a path like secret/app/db');
  if (t.path === '' && options.allowRoot !== true) throw new UsageError('no secret path: give one like secret/app/db (or -mount=secret app/db)');
  return t;
}

/** `secret/data/app/db` and its siblings. */
export function apiPath(t: KvTarget, kind: 'data' | 'metadata' | 'delete' | 'undelete' | 'destroy'): string {
  return t.path === '' ? `${t.mount}/${kind}/` : `${t.mount}/${kind}/${t.path}`;
}

/** -versions=1,2 as integers; a usage error names a bad one. */
export function versionsOf(ctx: Ctx): number[] {
  return ctx.args.list('versions').map((v) => {
    if (!/^\d+$/.test(v)) throw new UsageError(`-versions takes version numbers like -versions=1,2 (got a non-number)`);
    return Number(v);
  });
}
