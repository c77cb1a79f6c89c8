/** `coffer dr primary enable|secondary-token|revoke-secondary|demote|disable|batch-token` (root token, primary cluster). */
import type { DrOperation, DrStatus } from '@coffer/client';
import { UsageError, type ClientCommand, type Ctx } from './command.js';
import { drStatusTable } from './dr-status-output.js';
import { emit, positionals, printField } from './emit.js';
import { humanDuration, keyValueTable } from './format.js';

function printStatus(ctx: Ctx, s: DrStatus, done: string): number {
  emit(ctx, s, () => `${done}\n\n${drStatusTable(s, Date.now())}`);
  return 0;
}

const FIELD_FLAG = { kind: 'string', usage: 'Print only this field of the answer, raw (e.g. token).' } as const;

/** "30m", "1h", "90s" or a number of seconds, passed to the server as given. */
function ttlValue(v: string): number | string {
  if (/^\d+$/.test(v)) return Number(v);
  if (/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(v)) return v;
  throw new UsageError(`invalid -ttl "${v}": use seconds or a duration like 30m, 8h, 90s`);
}

export const drPrimaryEnable: ClientCommand = {
  kind: 'client',
  path: 'dr primary enable',
  synopsis: 'Make this cluster a DR primary',
  help: `[options]

  Enables DR replication on this cluster as a primary (root token). Then create an activation
  token per secondary with coffer dr primary secondary-token <id>.`,
  flags: {},
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    return printStatus(ctx, await ctx.client.dr.primaryEnable(), 'Success! This cluster is a DR primary. Next: coffer dr primary secondary-token <id>');
  },
};

export const drPrimarySecondaryToken: ClientCommand = {
  kind: 'client',
  path: 'dr primary secondary-token',
  synopsis: 'Create a single-use activation token for a DR secondary',
  help: `[options] ID

  Creates the activation token for the secondary named ID (single use, valid for -ttl). Pass it to
  coffer dr secondary enable on the secondary cluster. With -field=token only the token is printed
  (no newline when piped): TOKEN=$(coffer dr primary secondary-token -field=token dc2)`,
  flags: {
    ttl: { kind: 'string', usage: 'How long the token stays valid: seconds or 30m, 1h...', default: '30m' },
    field: FIELD_FLAG,
  },
  async run(ctx) {
    const [id = ''] = positionals(ctx, 1, 1, 'the secondary ID');
    if (id.trim() === '') throw new UsageError('the secondary ID is empty: name the secondary, e.g. dc2');
    const ttl = ctx.args.string('ttl');
    const t = await ctx.client.dr.secondaryToken(id, ttl === undefined ? undefined : ttlValue(ttl));
    const field = ctx.args.string('field');
    const data = { token: t.token, ttl: t.ttlSeconds, creation_time: t.creationTime, expires_at: t.expiresAt };
    if (field !== undefined) return printField(ctx, { ...data, wrapping_token: t.token }, field);
    emit(ctx, { wrap_info: data }, () => keyValueTable([
      ['wrapping_token', t.token],
      ['wrapping_token_ttl', humanDuration(t.ttlSeconds)],
      ['wrapping_token_creation_time', t.creationTime],
      ['wrapping_token_expires_at', t.expiresAt],
      ['secondary_id', id],
    ]) + '\n\nOn the secondary cluster: coffer dr secondary enable <token> (it wipes that cluster\'s data)');
    return 0;
  },
};

export const drPrimaryRevokeSecondary: ClientCommand = {
  kind: 'client',
  path: 'dr primary revoke-secondary',
  synopsis: 'Stop replicating to a DR secondary and invalidate its token',
  help: `[options] ID

  Revokes the secondary named ID: the primary stops streaming to it and its activation token stops
  working.`,
  flags: {},
  async run(ctx) {
    const [id = ''] = positionals(ctx, 1, 1, 'the secondary ID');
    return printStatus(ctx, await ctx.client.dr.revokeSecondary(id), `Success! Revoked the DR secondary ${id}`);
  },
};

export const drPrimaryDemote: ClientCommand = {
  kind: 'client',
  path: 'dr primary demote',
  synopsis: 'Demote this DR primary (it stops accepting writes)',
  help: `[options]

  Demotes this primary before a planned failover: it stops accepting writes. Then promote the
  secondary, and attach this cluster to it with coffer dr secondary update-primary.`,
  flags: {},
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    return printStatus(ctx, await ctx.client.dr.demote(), 'Success! Demoted this DR primary. Next: promote the secondary, then point this cluster at it with coffer dr secondary update-primary');
  },
};

export const drPrimaryDisable: ClientCommand = {
  kind: 'client',
  path: 'dr primary disable',
  synopsis: 'Turn DR replication off on this primary',
  help: `[options]

  Disables DR replication on this primary: its secondaries stop receiving data.`,
  flags: {},
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    return printStatus(ctx, await ctx.client.dr.primaryDisable(), 'Success! DR replication is disabled on this cluster');
  },
};

const OPERATIONS: readonly DrOperation[] = ['promote', 'update-primary', 'secondary-disable', 'delete-operation-token'];

export const drPrimaryBatchToken: ClientCommand = {
  kind: 'client',
  path: 'dr primary batch-token',
  synopsis: 'Create a DR batch token in advance (a DR operation token for the secondaries)',
  help: `[options] -ttl=8h

  Creates a DR batch token on the primary, in advance: it replicates to the secondaries and works
  there as -dr-operation-token (keep it safe, e.g. for the on-call shift). At most 7 days.`,
  flags: {
    ttl: { kind: 'string', usage: 'Validity: seconds or 8h, 30m... (required, at most 7 days).' },
    'display-name': { kind: 'string', usage: 'A name for the token (shown in audit logs).' },
    operations: { kind: 'list', usage: `What it may do: ${OPERATIONS.join(', ')}.`, default: 'promote,update-primary' },
    field: FIELD_FLAG,
  },
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    const ttl = ctx.args.string('ttl');
    if (ttl === undefined) throw new UsageError('-ttl is required: e.g. -ttl=8h (at most 7 days)');
    const ops = ctx.args.list('operations');
    const bad = ops.filter((o) => !(OPERATIONS as readonly string[]).includes(o));
    if (bad.length > 0) throw new UsageError(`unknown operation ${bad.join(', ')}: use ${OPERATIONS.join(', ')}`);
    const name = ctx.args.string('display-name');
    const b = await ctx.client.dr.batchToken({
      ttl: ttlValue(ttl),
      ...(name !== undefined ? { displayName: name } : {}),
      ...(ops.length > 0 ? { operations: ops as DrOperation[] } : {}),
    });
    const field = ctx.args.string('field');
    if (field !== undefined) return printField(ctx, { ...b }, field);
    emit(ctx, b, () => keyValueTable([['token', b.token], ['display_name', b.display_name], ['expires_at', b.expires_at], ['operations', b.operations]]));
    return 0;
  },
};

export const DR_PRIMARY_COMMANDS: readonly ClientCommand[] = [
  drPrimaryEnable, drPrimarySecondaryToken, drPrimaryRevokeSecondary, drPrimaryDemote, drPrimaryDisable, drPrimaryBatchToken,
];
