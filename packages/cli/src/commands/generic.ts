/** `coffer read|write|list|delete PATH`: any API path below /v1/, as vault's generic commands. */
import type { Envelope } from '@coffer/client';
import { UsageError, type ClientCommand, type Ctx } from './command.js';
import { emit, printField } from './emit.js';
import { headedTable, humanDuration, keyValueTable, objectTable, quotedList } from './format.js';
import { buildData } from './values.js';

type Body = Envelope<Record<string, unknown> | null>;

const clean = (p: string): string => p.replace(/^\/+/, '').replace(/^v1\//, '');

/**
 * A response as vault's OutputSecret prints it: an auth block as a token table, else the lease
 * rows (when leased) and the data keys sorted.
 */
export function secretTable(body: Body): string {
  const auth = body.auth;
  if (auth !== undefined && auth !== null) return authTable(auth);
  const rows: [string, unknown][] = [];
  if (body.lease_id !== undefined && body.lease_id !== '') {
    rows.push(['lease_id', body.lease_id], ['lease_duration', humanDuration(body.lease_duration ?? 0)], ['lease_renewable', body.renewable ?? false]);
  }
  const data = body.data ?? {};
  for (const k of Object.keys(data).sort()) rows.push([k, data[k]]);
  return rows.length === 0 ? objectTable({}) : keyValueTable(rows);
}

/** The `auth` block of token create/renew, in vault's row names. */
export function authTable(a: NonNullable<Body['auth']>): string {
  return keyValueTable(authRows(a));
}

export function authRows(a: NonNullable<Body['auth']>): [string, unknown][] {
  return [
    ['token', a.client_token],
    ['token_accessor', a.accessor],
    ['token_duration', a.lease_duration === 0 ? '∞' : humanDuration(a.lease_duration)],
    ['token_renewable', a.renewable],
    ['token_policies', quotedList(a.token_policies ?? a.policies)],
    ['identity_policies', '[]'],
    ['policies', quotedList(a.policies)],
  ];
}

function onePath(ctx: Ctx, extra = false): string {
  const p = ctx.args.positionals;
  if (p.length === 0 || (!extra && p.length > 1)) throw new UsageError(`expected one PATH (got ${p.length} arguments)`);
  return clean(p[0] ?? '');
}

export const readCommand: ClientCommand = {
  kind: 'client',
  path: 'read',
  synopsis: 'Read data at any API path',
  help: `[options] PATH

  GETs /v1/PATH and prints its data (e.g. coffer read transit/keys/app). Exit 2 when nothing is there.`,
  flags: { field: { kind: 'string', usage: 'Print only this field of the data, raw.' } },
  async run(ctx) {
    const path = onePath(ctx);
    const r = await ctx.client.request<Body>('GET', path, { acceptStatuses: [404] });
    if (r.status === 404 || r.body === undefined) {
      ctx.io.err(`No value found at ${path}\n`);
      return 2;
    }
    const body = r.body;
    const field = ctx.args.string('field');
    if (field !== undefined) return printField(ctx, body.data, field);
    emit(ctx, body, () => secretTable(body));
    return 0;
  },
};

export const writeCommand: ClientCommand = {
  kind: 'client',
  path: 'write',
  synopsis: 'Write data to any API path',
  help: `[options] PATH [KEY=VALUE...]

  PUTs the KEY=VALUE pairs (key=@file, key=-, or a lone - for a JSON object on stdin) to /v1/PATH and
  prints the answer's data, if any (e.g. coffer write transit/encrypt/app plaintext=aGk=).`,
  flags: {
    force: { kind: 'bool', usage: 'Write even with no data.' },
    f: { kind: 'bool', usage: 'Same as -force.' },
    field: { kind: 'string', usage: 'Print only this field of the answer, raw.' },
  },
  async run(ctx) {
    const path = onePath(ctx, true);
    const pairs = ctx.args.positionals.slice(1);
    if (pairs.length === 0 && !ctx.args.bool('force') && !ctx.args.bool('f')) throw new UsageError('Must supply data or use -force');
    const data = await buildData(pairs, ctx.io);
    const r = await ctx.client.request<Body>('PUT', path, { body: data });
    const body = r.body;
    const field = ctx.args.string('field');
    if (field !== undefined) return printField(ctx, body?.auth !== undefined && body.auth !== null ? Object.fromEntries(authRows(body.auth)) : body?.data, field);
    if (body === undefined || ((body.data === null || body.data === undefined) && (body.auth === null || body.auth === undefined))) {
      ctx.io.out(`Success! Data written to: ${path}\n`);
      return 0;
    }
    emit(ctx, body, () => secretTable(body));
    return 0;
  },
};

export const listCommand: ClientCommand = {
  kind: 'client',
  path: 'list',
  synopsis: 'List the keys at any API path',
  help: `[options] PATH

  LISTs /v1/PATH (e.g. coffer list secret/metadata/app). Exit 2 when empty.`,
  flags: {},
  async run(ctx) {
    const path = onePath(ctx);
    const r = await ctx.client.request<Envelope<{ keys?: string[] }>>('LIST', path, { acceptStatuses: [404] });
    const keys = r.body?.data?.keys ?? [];
    if (r.status === 404 || keys.length === 0) {
      ctx.io.err(`No value found at ${path}\n`);
      return 2;
    }
    emit(ctx, keys, () => headedTable(['Keys'], keys.map((k) => [k])));
    return 0;
  },
};

export const deleteCommand: ClientCommand = {
  kind: 'client',
  path: 'delete',
  synopsis: 'Delete data at any API path',
  help: `[options] PATH

  DELETEs /v1/PATH.`,
  flags: {},
  async run(ctx) {
    const path = onePath(ctx);
    await ctx.client.request('DELETE', path);
    ctx.io.out(`Success! Data deleted (if it existed) at: ${path}\n`);
    return 0;
  },
};
