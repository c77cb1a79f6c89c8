/**
 * `coffer operator rekey`: replace the root key and its unseal shares, as vault's flow:
 *   -init -key-shares=N -key-threshold=T    start (prints the nonce)
 *   [-nonce=X] KEY                           submit one current share (repeat up to the threshold)
 *   -status | -cancel
 * The final share prints the new shares; the old ones stop working.
 */
import type { RekeyStatus } from '@coffer/client';
import { CommandError, UsageError, type ClientCommand, type Ctx } from './command.js';
import { emit, positionals, secretInput } from './emit.js';
import { keyValueTable } from './format.js';

function statusTable(s: RekeyStatus): string {
  return keyValueTable([
    ['Nonce', s.nonce === '' ? 'n/a' : s.nonce],
    ['Started', s.started],
    ['Rekey Progress', `${s.progress}/${s.required}`],
    ['New Shares', s.n],
    ['New Threshold', s.t],
    ['Verification Required', s.verification_required ?? false],
  ]);
}

function completeText(keys: readonly string[], nonce: string, threshold: number): string {
  const lines = keys.map((k, i) => `Key ${i + 1}: ${k}`);
  lines.push('', `Operation nonce: ${nonce}`, '');
  lines.push(`Coffer unseal keys rekeyed with ${keys.length} key shares and a key threshold of ${threshold}. Please`);
  lines.push('securely distribute the key shares printed above. The previous shares no longer unseal Coffer.');
  return lines.join('\n');
}

async function submit(ctx: Ctx, key: string | undefined): Promise<number> {
  const before = await ctx.client.rekey.status();
  if (!before.started) throw new CommandError('no rekey in progress: start one with coffer operator rekey -init -key-shares=N -key-threshold=T');
  const nonce = ctx.args.string('nonce') ?? before.nonce;
  const share = await secretInput(ctx, key, `Rekey operation nonce: ${nonce}\nUnseal Key (will be hidden): `);
  const r = await ctx.client.rekey.update(share, nonce);
  if (r.complete === true) emit(ctx, r, () => completeText(r.keys_base64, r.nonce, before.t));
  else emit(ctx, r, () => statusTable(r));
  return 0;
}

export const operatorRekey: ClientCommand = {
  kind: 'client',
  path: 'operator rekey',
  synopsis: 'Generate new unseal key shares (replaces the root key)',
  help: `[options] [KEY]

  Rekeys: start with -init (choosing the new -key-shares and -key-threshold), then submit the
  current unseal key shares one per call (KEY, or prompted without echo, or piped on stdin) until
  the threshold is reached; the last call prints the new shares. -status shows progress, -cancel
  aborts (the old shares stay valid).`,
  flags: {
    init: { kind: 'bool', usage: 'Start a rekey.' },
    cancel: { kind: 'bool', usage: 'Cancel the rekey in progress.' },
    status: { kind: 'bool', usage: 'Print the rekey progress.' },
    'key-shares': { kind: 'int', usage: 'New number of key shares (with -init).', default: '5' },
    'key-threshold': { kind: 'int', usage: 'New key threshold (with -init).', default: '3' },
    nonce: { kind: 'string', usage: 'The rekey nonce (default: the one in progress).' },
  },
  async run(ctx) {
    const [key] = positionals(ctx, 0, 1, 'at most one KEY');
    const a = ctx.args;
    const modes = ['init', 'cancel', 'status'].filter((m) => a.bool(m));
    if (modes.length > 1) throw new UsageError(`-${modes.join(' and -')} exclude each other`);
    if (modes.length === 1 && key !== undefined) throw new UsageError(`-${modes[0] ?? ''} takes no key`);
    if (a.bool('init')) {
      const s = await ctx.client.rekey.init({ secret_shares: a.int('key-shares') ?? 5, secret_threshold: a.int('key-threshold') ?? 3 });
      emit(ctx, s, () => statusTable(s));
      return 0;
    }
    if (a.bool('cancel')) {
      await ctx.client.rekey.cancel();
      ctx.io.out('Success! Canceled rekeying (if it was started)\n');
      return 0;
    }
    if (a.bool('status')) {
      const s = await ctx.client.rekey.status();
      emit(ctx, s, () => statusTable(s));
      return 0;
    }
    return submit(ctx, key);
  },
};
