/** `coffer token create|lookup|renew|revoke`. */
import type { Envelope, TokenAuth, TokenCreateRequest } from '@coffer/client';
import { UsageError, type ClientCommand, type Ctx } from './command.js';
import { emit, printField } from './emit.js';
import { humanDuration, keyValueTable } from './format.js';
import { authRows, authTable } from './generic.js';

const DURATION_FIELDS = new Set(['creation_ttl', 'ttl', 'explicit_max_ttl', 'period']);

function printAuth(ctx: Ctx, body: Envelope<unknown> | undefined, auth: TokenAuth): number {
  const field = ctx.args.string('field');
  if (field !== undefined) return printField(ctx, Object.fromEntries(authRows(auth)), field);
  emit(ctx, body, () => authTable(auth));
  return 0;
}

function authOf(body: Envelope<unknown> | undefined): TokenAuth {
  const a = body?.auth;
  if (a === undefined || a === null) throw new Error('the server answered without an auth block');
  return a;
}

export const tokenCreate: ClientCommand = {
  kind: 'client',
  path: 'token create',
  synopsis: 'Create a token (a child of the current one)',
  help: `[options]

  Creates a token with the given policies and prints it (-field=token prints the token alone).`,
  flags: {
    policy: { kind: 'list', usage: 'A policy for the token; repeat or comma-separate for several.' },
    ttl: { kind: 'string', usage: 'Initial TTL, e.g. 1h (default: the system default).' },
    'explicit-max-ttl': { kind: 'string', usage: 'A hard cap on the TTL, e.g. 24h.' },
    period: { kind: 'string', usage: 'A periodic token renewable forever by this period.' },
    'display-name': { kind: 'string', usage: 'A name to recognise the token by (audit, lookup).' },
    'no-default-policy': { kind: 'bool', usage: 'Do not attach the "default" policy.' },
    orphan: { kind: 'bool', usage: 'Create the token with no parent.' },
    renewable: { kind: 'string', usage: 'Whether the token can be renewed (true|false).', default: 'true' },
    'use-limit': { kind: 'int', usage: 'Number of uses before the token expires (0 = unlimited).' },
    type: { kind: 'string', usage: 'service or batch.', default: 'service' },
    metadata: { kind: 'list', usage: 'key=value metadata; repeatable.' },
    field: { kind: 'string', usage: 'Print only this field (e.g. token), raw.' },
  },
  async run(ctx) {
    if (ctx.args.positionals.length > 0) throw new UsageError('token create takes no arguments (use -policy=..., -ttl=...)');
    const a = ctx.args;
    const type = a.string('type');
    if (type !== undefined && type !== 'service' && type !== 'batch') throw new UsageError('-type must be service or batch');
    const renewable = a.string('renewable');
    if (renewable !== undefined && renewable !== 'true' && renewable !== 'false') throw new UsageError('-renewable must be true or false');
    const meta: Record<string, string> = {};
    for (const kv of a.list('metadata')) {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError('-metadata takes key=value');
      meta[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const str = (f: string): string | undefined => a.string(f);
    const req: TokenCreateRequest = {
      ...(a.list('policy').length > 0 ? { policies: a.list('policy') } : {}),
      ...(str('ttl') !== undefined ? { ttl: str('ttl') ?? '' } : {}),
      ...(str('explicit-max-ttl') !== undefined ? { explicit_max_ttl: str('explicit-max-ttl') ?? '' } : {}),
      ...(str('period') !== undefined ? { period: str('period') ?? '' } : {}),
      ...(str('display-name') !== undefined ? { display_name: str('display-name') ?? '' } : {}),
      ...(a.bool('no-default-policy') ? { no_default_policy: true } : {}),
      ...(a.bool('orphan') ? { no_parent: true } : {}),
      ...(renewable !== undefined ? { renewable: renewable === 'true' } : {}),
      ...(a.int('use-limit') !== undefined ? { num_uses: a.int('use-limit') ?? 0 } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(Object.keys(meta).length > 0 ? { meta } : {}),
    };
    const r = await ctx.client.request<Envelope<unknown>>('PUT', 'auth/token/create', { body: req });
    return printAuth(ctx, r.body, authOf(r.body));
  },
};

/** A token, from the argument, or a lone "-" for stdin (so it stays out of the process list). */
async function tokenArg(ctx: Ctx): Promise<string | undefined> {
  const p = ctx.args.positionals;
  if (p.length > 1) throw new UsageError(`expected at most one TOKEN (got ${p.length} arguments)`);
  if (p[0] === '-') return (await ctx.io.readStdin()).toString('utf8').trim();
  return p[0];
}

export const tokenLookup: ClientCommand = {
  kind: 'client',
  path: 'token lookup',
  synopsis: "Print a token's properties (default: the current token)",
  help: `[options] [TOKEN | -]

  Prints the policies, TTL and other properties of TOKEN (or, with -accessor, of the token with
  that accessor), or of the current token when none is given.`,
  flags: { accessor: { kind: 'bool', usage: 'The argument is an accessor, not a token.' } },
  async run(ctx) {
    const t = await tokenArg(ctx);
    const accessor = ctx.args.bool('accessor');
    if (accessor && t === undefined) throw new UsageError('-accessor needs the accessor as argument');
    const r = t === undefined
      ? await ctx.client.request<Envelope<Record<string, unknown>>>('GET', 'auth/token/lookup-self')
      : await ctx.client.request<Envelope<Record<string, unknown>>>('PUT', accessor ? 'auth/token/lookup-accessor' : 'auth/token/lookup', { body: accessor ? { accessor: t } : { token: t } });
    const data = r.body?.data ?? {};
    emit(ctx, r.body, () => keyValueTable(Object.keys(data).sort().map((k) => {
      const v = data[k];
      return [k, DURATION_FIELDS.has(k) && typeof v === 'number' ? humanDuration(v) : v === '' || v === null ? 'n/a' : v] as const;
    })));
    return 0;
  },
};

export const tokenRenew: ClientCommand = {
  kind: 'client',
  path: 'token renew',
  synopsis: "Extend a token's TTL (default: the current token)",
  help: `[options] [TOKEN | -]

  Renews TOKEN (or the current token) by -increment (default: its own TTL).`,
  flags: {
    increment: { kind: 'string', usage: 'Requested extension, e.g. 1h.' },
    i: { kind: 'string', usage: 'Same as -increment.' },
    field: { kind: 'string', usage: 'Print only this field, raw.' },
  },
  async run(ctx) {
    const t = await tokenArg(ctx);
    const inc = ctx.args.string('increment') ?? ctx.args.string('i');
    const body = { ...(t !== undefined ? { token: t } : {}), ...(inc !== undefined ? { increment: inc } : {}) };
    const r = await ctx.client.request<Envelope<unknown>>('PUT', t === undefined ? 'auth/token/renew-self' : 'auth/token/renew', { body });
    return printAuth(ctx, r.body, authOf(r.body));
  },
};

export const tokenRevoke: ClientCommand = {
  kind: 'client',
  path: 'token revoke',
  synopsis: 'Revoke a token and its children',
  help: `[options] [TOKEN | -]

  Revokes TOKEN (or, with -accessor, the token with that accessor; with -self, the current token)
  and every token created under it.`,
  flags: {
    self: { kind: 'bool', usage: 'Revoke the current token.' },
    accessor: { kind: 'bool', usage: 'The argument is an accessor, not a token.' },
  },
  async run(ctx) {
    const t = await tokenArg(ctx);
    if (ctx.args.bool('self')) {
      if (t !== undefined) throw new UsageError('-self takes no token');
      await ctx.client.request('PUT', 'auth/token/revoke-self');
    } else {
      if (t === undefined) throw new UsageError('give the TOKEN to revoke (or -self for the current one)');
      const accessor = ctx.args.bool('accessor');
      await ctx.client.request('PUT', accessor ? 'auth/token/revoke-accessor' : 'auth/token/revoke', { body: accessor ? { accessor: t } : { token: t } });
    }
    ctx.io.out('Success! Revoked token (if it existed)\n');
    return 0;
  },
};
