/** `coffer kv delete|undelete|destroy|list|metadata get|metadata delete`. */
import type { Envelope } from '@coffer/client';
import { UsageError, type ClientCommand, type Ctx } from './command.js';
import { emit } from './emit.js';
import { headedTable } from './format.js';
import { apiPath, kvTarget, MOUNT_FLAG, versionsOf } from './kv-paths.js';
import { metadataTable, pathBlock, titledTable, versionBlocks } from './kv-output.js';

function onePath(ctx: Ctx): string {
  const p = ctx.args.positionals;
  if (p.length !== 1) throw new UsageError(`expected one PATH (got ${p.length} arguments)`);
  return p[0] ?? '';
}

const VERSIONS = { kind: 'list', usage: 'Comma-separated version numbers, e.g. -versions=1,2.' } as const;

export const kvDelete: ClientCommand = {
  kind: 'client',
  path: 'kv delete',
  synopsis: 'Soft-delete the latest (or -versions) version of a secret',
  help: `[options] PATH

  Marks the latest version (or each of -versions) deleted; kv undelete brings it back.`,
  flags: { mount: MOUNT_FLAG, versions: VERSIONS },
  async run(ctx) {
    const t = kvTarget(ctx, onePath(ctx));
    const versions = versionsOf(ctx);
    if (versions.length === 0) {
      await ctx.client.request('DELETE', apiPath(t, 'data'));
      ctx.io.out(`Success! Data deleted (if it existed) at: ${apiPath(t, 'data')}\n`);
    } else {
      await ctx.client.request('PUT', apiPath(t, 'delete'), { body: { versions } });
      ctx.io.out(`Success! Data deleted (if it existed) at: ${apiPath(t, 'delete')}\n`);
    }
    return 0;
  },
};

function versionsCommand(kind: 'undelete' | 'destroy', synopsis: string, what: string): ClientCommand {
  return {
    kind: 'client',
    path: `kv ${kind}`,
    synopsis,
    help: `[options] -versions=N[,M...] PATH

  ${what}`,
    flags: { mount: MOUNT_FLAG, versions: VERSIONS },
    async run(ctx) {
      const t = kvTarget(ctx, onePath(ctx));
      const versions = versionsOf(ctx);
      if (versions.length === 0) throw new UsageError(`No versions provided, use the "-versions" flag to specify the version to ${kind}.`);
      await ctx.client.request('PUT', apiPath(t, kind), { body: { versions } });
      ctx.io.out(`Success! Data written to: ${apiPath(t, kind)}\n`);
      return 0;
    },
  };
}

export const kvUndelete = versionsCommand('undelete', 'Restore soft-deleted versions of a secret', 'Restores the given soft-deleted versions of the secret at PATH.');
export const kvDestroy = versionsCommand('destroy', 'Permanently destroy versions of a secret', 'Permanently removes the data of the given versions of the secret at PATH (the metadata stays).');

export const kvList: ClientCommand = {
  kind: 'client',
  path: 'kv list',
  synopsis: 'List the keys under a folder of a KV mount',
  help: `[options] [PATH]

  Lists the secrets and folders ("dir/") under PATH (default: the mount's root). Exit 2 when empty.`,
  flags: { mount: MOUNT_FLAG },
  async run(ctx) {
    const p = ctx.args.positionals;
    if (p.length > 1) throw new UsageError(`expected at most one PATH (got ${p.length} arguments)`);
    const t = kvTarget(ctx, p[0], { allowRoot: true });
    const r = await ctx.client.request<Envelope<{ keys?: string[] }>>('LIST', apiPath(t, 'metadata'), { acceptStatuses: [404] });
    const keys = r.body?.data?.keys ?? [];
    if (r.status === 404 || keys.length === 0) {
      ctx.io.err(`No value found at ${apiPath(t, 'metadata')}${t.path === '' ? '' : '/'}\n`);
      return 2;
    }
    emit(ctx, keys, () => headedTable(['Keys'], keys.map((k) => [k])));
    return 0;
  },
};

export const kvMetadataGet: ClientCommand = {
  kind: 'client',
  path: 'kv metadata get',
  synopsis: "Read a secret's metadata and version history",
  help: `[options] PATH

  Prints the metadata of the secret at PATH and one block per version. Exit 2 when there is none.`,
  flags: { mount: MOUNT_FLAG },
  async run(ctx) {
    const t = kvTarget(ctx, onePath(ctx));
    const r = await ctx.client.request<Envelope<Record<string, unknown>>>('GET', apiPath(t, 'metadata'), { acceptStatuses: [404] });
    const meta = r.body?.data;
    if (r.status === 404 || meta === undefined || meta === null) {
      ctx.io.err(`No value found at ${apiPath(t, 'metadata')}\n`);
      return 2;
    }
    const { versions, ...rest } = meta;
    const blocks = versionBlocks((versions ?? {}) as Record<string, Record<string, unknown>>);
    emit(ctx, r.body, () => [pathBlock('Metadata Path', apiPath(t, 'metadata')), titledTable('Metadata', rest, metadataTable(rest)), ...blocks].join('\n\n'));
    return 0;
  },
};

export const kvMetadataDelete: ClientCommand = {
  kind: 'client',
  path: 'kv metadata delete',
  synopsis: 'Delete a secret with all its versions and metadata',
  help: `[options] PATH

  Removes every version of the secret at PATH and its metadata. This cannot be undone.`,
  flags: { mount: MOUNT_FLAG },
  async run(ctx) {
    const t = kvTarget(ctx, onePath(ctx));
    await ctx.client.request('DELETE', apiPath(t, 'metadata'));
    ctx.io.out(`Success! Data deleted (if it existed) at: ${apiPath(t, 'metadata')}\n`);
    return 0;
  },
};
