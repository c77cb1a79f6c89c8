/**
 * `coffer dr secondary enable|promote|update-primary|disable`. `enable` WIPES this cluster's data
 * (it adopts the primary's data and keys), so it asks first: on a terminal the operator types the
 * cluster's address or "yes"; anywhere else -force is required, and without it nothing is sent.
 */
import type { DrStatus } from '@coffer/client';
import { CommandError, UsageError, type ClientCommand, type Ctx } from './command.js';
import { DR_OPERATION_TOKEN_FLAG, HOW_TO_GET_DR_TOKEN, optionalDrOperationToken, requireDrOperationToken, tokenArgument } from './dr-input.js';
import { drStatusTable } from './dr-status-output.js';
import { emit, positionals } from './emit.js';

function printStatus(ctx: Ctx, s: DrStatus, done: string): number {
  emit(ctx, s, () => `${done}\n\n${drStatusTable(s, Date.now())}`);
  return 0;
}

/**
 * The confirmation gate of `secondary enable`. Resolves when confirmed; throws (before anything is
 * sent) when not. Invariant: returns only if -force was given or the operator typed the address or "yes".
 */
export async function confirmWipe(ctx: Ctx, tokenFromStdin: boolean): Promise<void> {
  if (ctx.args.bool('force')) return;
  const what = `this wipes ALL data of the cluster at ${ctx.address} (secrets, tokens, policies) and replaces it with the DR primary's`;
  if (!ctx.io.isStdinTty || tokenFromStdin) {
    throw new UsageError(`${what}: confirm with -force (not on a terminal, so no question can be asked); nothing was changed`);
  }
  const answer = (await ctx.io.promptHidden(
    `WARNING: ${what}.\nIts nodes then seal and must be unsealed with the PRIMARY's unseal keys.\n` +
    `Type the cluster address (${ctx.address}) or yes to continue (input hidden): `,
  )).trim();
  if (answer !== 'yes' && answer !== ctx.address) throw new CommandError('not confirmed: nothing was changed (type the cluster address or yes, or pass -force)');
}

export const drSecondaryEnable: ClientCommand = {
  kind: 'client',
  path: 'dr secondary enable',
  synopsis: 'Make this cluster a DR secondary (WIPES its data)',
  help: `[options] TOKEN

  Makes the cluster at the address a DR secondary of the primary that issued TOKEN (from coffer dr
  primary secondary-token; - reads it from stdin). Needs this cluster's root token.

  This WIPES the cluster's data: it adopts the primary's data AND keys. On a terminal you are asked
  to type the cluster's address (or yes); otherwise pass -force. Afterwards its nodes seal
  themselves: unseal every node with the PRIMARY's unseal keys (or auto-unseal with the primary's
  KMS key), and follow the sync with coffer dr status.`,
  flags: {
    force: { kind: 'bool', usage: 'Do not ask: confirm that this cluster\'s data is wiped (required when not on a terminal).' },
  },
  async run(ctx) {
    const [given] = positionals(ctx, 1, 1, 'the activation TOKEN');
    if (given === undefined || given.trim() === '') throw new UsageError('missing activation token: pass it as the argument, or - to read it from stdin');
    // Ask before reading or sending anything: a refusal changes nothing.
    await confirmWipe(ctx, given === '-');
    const token = await tokenArgument(ctx, given, 'activation token');
    const s = await ctx.client.dr.secondaryEnable(token);
    return printStatus(ctx, s, [
      `Success! The cluster at ${ctx.address} is now a DR secondary${s.mode === 'secondary' && s.primary_cluster_addr !== '' ? ` of ${s.primary_cluster_addr}` : ''}.`,
      'Next:',
      "  1. Unseal every node of this cluster with the PRIMARY's unseal keys (coffer operator unseal -address=<node>),",
      "     or let auto-unseal use the primary's KMS key: the nodes seal themselves when the primary's keyring arrives.",
      '  2. Follow the sync with coffer dr status (lag in entries and time).',
    ].join('\n'));
  },
};

export const drSecondaryPromote: ClientCommand = {
  kind: 'client',
  path: 'dr secondary promote',
  synopsis: 'Promote this DR secondary to primary (needs a DR operation token)',
  help: `[options]

  Promotes this DR secondary: it becomes a primary and accepts writes at once; the old tokens and
  policies work. Needs -dr-operation-token (or COFFER_DR_OPERATION_TOKEN). If the old primary may
  come back, it refuses writes until pointed at this one with coffer dr secondary update-primary.`,
  flags: { 'dr-operation-token': DR_OPERATION_TOKEN_FLAG },
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    const op = await requireDrOperationToken(ctx, 'promote');
    const s = await ctx.client.dr.promote(op);
    return printStatus(ctx, s, `Success! The cluster at ${ctx.address} is now the DR primary (epoch ${s.epoch}) and accepts writes.\n` +
      'Next: when the old primary is back, attach it with coffer dr primary secondary-token <id> here and coffer dr secondary update-primary there');
  },
};

export const drSecondaryUpdatePrimary: ClientCommand = {
  kind: 'client',
  path: 'dr secondary update-primary',
  synopsis: 'Point this DR secondary (or a fenced old primary) at a new primary',
  help: `[options] TOKEN

  Points this cluster at a new primary, with an activation TOKEN from that primary (coffer dr primary
  secondary-token; - reads it from stdin; "" follows no primary). Needs -dr-operation-token; on an
  old primary fenced by a newer one, this cluster's root token (COFFER_TOKEN) is enough.`,
  flags: { 'dr-operation-token': DR_OPERATION_TOKEN_FLAG },
  async run(ctx) {
    const [given] = positionals(ctx, 1, 1, 'the activation TOKEN ("" to follow no primary)');
    const op = await optionalDrOperationToken(ctx);
    if (op === undefined) {
      const st = await ctx.client.dr.status();
      const isFenced = st.mode === 'primary' && st.state === 'fenced';
      if (!isFenced || !ctx.hasToken) {
        throw new UsageError(`update-primary needs a DR operation token: pass -dr-operation-token=<token> or set COFFER_DR_OPERATION_TOKEN; ${HOW_TO_GET_DR_TOKEN}` +
          (isFenced ? ' (on this fenced primary, a root token in COFFER_TOKEN also works)' : ''));
      }
    }
    const token = await tokenArgument(ctx, given, 'activation token', true);
    const s = await ctx.client.dr.updatePrimary(op, token);
    return printStatus(ctx, s, token === ''
      ? 'Success! This cluster follows no primary now.'
      : 'Success! This cluster now follows the new primary. Follow the sync with coffer dr status');
  },
};

export const drSecondaryDisable: ClientCommand = {
  kind: 'client',
  path: 'dr secondary disable',
  synopsis: 'Turn DR replication off on this secondary (needs a DR operation token)',
  help: `[options]

  Disables DR replication on this secondary: it stops following its primary.`,
  flags: { 'dr-operation-token': DR_OPERATION_TOKEN_FLAG },
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    const op = await requireDrOperationToken(ctx, 'disable');
    return printStatus(ctx, await ctx.client.dr.secondaryDisable(op), 'Success! DR replication is disabled on this cluster');
  },
};

export const DR_SECONDARY_COMMANDS: readonly ClientCommand[] = [drSecondaryEnable, drSecondaryPromote, drSecondaryUpdatePrimary, drSecondaryDisable];
