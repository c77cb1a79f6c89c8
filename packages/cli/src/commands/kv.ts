/** `coffer kv put|patch|get`: KV v2 secrets (see kv-paths.ts for how the path is read). */
import type { Envelope } from '@coffer/client';
import { UsageError, type ClientCommand, type Ctx } from './command.js';
import { emit, printField } from './emit.js';
import { apiPath, kvTarget, MOUNT_FLAG, type KvTarget } from './kv-paths.js';
import { dataTable, metadataTable, pathBlock, titledTable } from './kv-output.js';
import { buildData } from './values.js';

type Body = Envelope<Record<string, unknown>>;

async function write(ctx: Ctx, method: 'PUT' | 'PATCH'): Promise<number> {
  const [arg, ...pairs] = ctx.args.positionals;
  if (arg === undefined) throw new UsageError('not enough arguments (expected PATH and at least one key=value)');
  const t = kvTarget(ctx, arg);
  if (pairs.length === 0) throw new UsageError('Must supply data: key=value pairs, key=@file, key=- or - (a JSON object on stdin)');
  const data = await buildData(pairs, ctx.io);
  const cas = ctx.args.int('cas');
  const body = { data, ...(cas !== undefined ? { options: { cas } } : {}) };
  const r = await ctx.client.request<Body>(method, apiPath(t, 'data'), { body, ...(method === 'PATCH' ? { contentType: 'application/merge-patch+json' } : {}) });
  printWritten(ctx, t, r.body);
  return 0;
}

function printWritten(ctx: Ctx, t: KvTarget, body: Body | undefined): void {
  const meta = body?.data ?? {};
  const field = ctx.args.string('field');
  if (field !== undefined) {
    printField(ctx, meta, field);
    return;
  }
  emit(ctx, body, () => `${pathBlock('Secret Path', apiPath(t, 'data'))}\n\n${titledTable('Metadata', meta, metadataTable(meta))}`);
}

const WRITE_FLAGS = {
  mount: MOUNT_FLAG,
  cas: { kind: 'int', usage: 'Check-and-set: write only if the current version is this (0 = only if absent).' },
  field: { kind: 'string', usage: 'Print only this field of the answer, raw.' },
} as const;

export const kvPut: ClientCommand = {
  kind: 'client',
  path: 'kv put',
  synopsis: 'Write a new version of a secret',
  help: `[options] PATH KEY=VALUE...

  Writes KEY=VALUE pairs as a new version of the secret at PATH (replacing all its keys). A value
  can come from a file (key=@file) or stdin (key=-); a lone - reads a JSON object from stdin.
    coffer kv put secret/app/db password=s3cret      coffer kv put -mount=secret app/db password=@pw.txt`,
  flags: WRITE_FLAGS,
  run: (ctx) => write(ctx, 'PUT'),
};

export const kvPatch: ClientCommand = {
  kind: 'client',
  path: 'kv patch',
  synopsis: 'Change some keys of a secret (new version, others kept)',
  help: `[options] PATH KEY=VALUE...

  Merges KEY=VALUE pairs into the latest version of the secret at PATH, as a new version.`,
  flags: WRITE_FLAGS,
  run: (ctx) => write(ctx, 'PATCH'),
};

export const kvGet: ClientCommand = {
  kind: 'client',
  path: 'kv get',
  synopsis: 'Read a secret',
  help: `[options] PATH

  Reads the latest (or -version) version of the secret at PATH. Exit 2 when there is none.`,
  flags: {
    mount: MOUNT_FLAG,
    version: { kind: 'int', usage: 'The version to read (default: the latest).' },
    field: { kind: 'string', usage: 'Print only this key of the secret, raw (no newline when piped).' },
  },
  async run(ctx) {
    if (ctx.args.positionals.length !== 1) throw new UsageError(`expected one PATH (got ${ctx.args.positionals.length} arguments)`);
    const t = kvTarget(ctx, ctx.args.positionals[0]);
    const version = ctx.args.int('version');
    const r = await ctx.client.request<Envelope<{ data: Record<string, unknown> | null; metadata: Record<string, unknown> }>>('GET', apiPath(t, 'data'), {
      query: version !== undefined ? { version } : {},
      acceptStatuses: [404],
    });
    const secret = r.body?.data;
    if (r.status === 404 || secret === undefined || secret === null || secret.data === null) {
      const meta = secret?.metadata;
      const why = meta !== undefined && meta['destroyed'] === true ? ' (that version was destroyed)' : meta !== undefined && meta['deletion_time'] !== '' ? ' (that version was deleted: coffer kv undelete can restore it)' : '';
      ctx.io.err(`No value found at ${apiPath(t, 'data')}${why}\n`);
      return 2;
    }
    const field = ctx.args.string('field');
    if (field !== undefined) return printField(ctx, secret.data, field);
    const data = secret.data;
    emit(ctx, r.body, () => `${pathBlock('Secret Path', apiPath(t, 'data'))}\n\n${titledTable('Metadata', secret.metadata, metadataTable(secret.metadata))}\n\n${titledTable('Data', data, dataTable(data))}`);
    return 0;
  },
};
