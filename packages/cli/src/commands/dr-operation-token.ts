/**
 * `coffer dr operation-token generate|delete`. generate works as `vault operator generate-root`:
 *   -init                 start an attempt (prints the nonce and the OTP: keep the OTP)
 *   [-otp=OTP] [KEY|-]    submit shares of the PRIMARY's unseal (or recovery) key: KEY, or hidden
 *                         prompts on a terminal until the threshold, or one share per line on stdin;
 *                         with no attempt in progress (and no KEY) it starts one itself and keeps the OTP
 *   -status | -cancel     progress / abort
 *   -decode=ENC -otp=OTP  decode a completed attempt's encoded_token locally
 * The completed token is printed on stdout only (-field=token prints it raw). Shares and tokens never
 * appear in an error; a share the server refuses prints its error and the progress after it.
 */
import { CofferApiError, type DrOperationTokenAttempt } from '@coffer/client';
import { CommandError, UsageError, type ClientCommand, type Ctx } from './command.js';
import { DR_OPERATION_TOKEN_FLAG, requireDrOperationToken } from './dr-input.js';
import { decodeWithOtp } from './dr-otp.js';
import { emit, positionals, printField } from './emit.js';
import { keyValueTable } from './format.js';

/** Bound on the shares one run submits (a threshold is at most a few dozen). */
const MAX_SHARES = 64;

function attemptTable(a: DrOperationTokenAttempt): string {
  const rows: [string, unknown][] = [
    ['Nonce', a.nonce === '' ? 'n/a' : a.nonce],
    ['Started', a.started],
    ['Progress', `${a.progress}/${a.required}`],
    ['Complete', a.complete],
  ];
  if (a.otp !== '') rows.push(['OTP', a.otp]);
  rows.push(['OTP Length', a.otp_length]);
  return keyValueTable(rows);
}

function printToken(ctx: Ctx, token: string, attempt: DrOperationTokenAttempt | undefined): number {
  const field = ctx.args.string('field');
  if (field !== undefined) return printField(ctx, { token }, field);
  emit(ctx, { ...(attempt ?? {}), token }, () => `DR operation token: ${token}\n\nUse it as -dr-operation-token (or COFFER_DR_OPERATION_TOKEN); delete it afterwards with coffer dr operation-token delete`);
  return 0;
}

function finish(ctx: Ctx, done: DrOperationTokenAttempt, otp: string | undefined): number {
  if (otp === undefined) {
    emit(ctx, done, () => `Encoded DR operation token: ${done.encoded_token}\n\nDecode it with: coffer dr operation-token generate -decode=${done.encoded_token} -otp=<the OTP printed by -init>`);
    return 0;
  }
  const t = decodeWithOtp(done.encoded_token, otp);
  if (!t.ok) throw new CommandError(`the attempt completed but its token could not be decoded: ${t.error}`);
  return printToken(ctx, t.value, done);
}

/** The shares of this run: the argument, else hidden prompts (at most `count`), else stdin lines. */
async function* shares(ctx: Ctx, key: string | undefined, count: number): AsyncGenerator<string> {
  if (key !== undefined && key !== '-') {
    yield key.trim();
    return;
  }
  if (key === undefined && ctx.io.isStdinTty) {
    for (let i = 0; i < Math.min(count, MAX_SHARES); i++) {
      const s = (await ctx.io.promptHidden(`Share of the PRIMARY's unseal key (${i + 1} of ${count} to go, will be hidden): `)).trim();
      if (s === '') throw new UsageError('no share given: type one share of the primary\'s unseal (or recovery) key, or cancel with -cancel');
      yield s;
    }
    return;
  }
  const lines = (await ctx.io.readStdin()).toString('utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) throw new UsageError('no share given: pipe the shares one per line on stdin, pass one as the argument, or run on a terminal to be prompted');
  yield* lines.slice(0, MAX_SHARES);
}

async function submit(ctx: Ctx, key: string | undefined): Promise<number> {
  const gen = ctx.client.dr.generateOperationToken;
  let otp = ctx.args.string('otp');
  let st = await gen.attemptStatus();
  if (!st.started) {
    if (key !== undefined && key !== '-') {
      throw new CommandError('no DR operation token generation in progress: start one with coffer dr operation-token generate -init (keep the OTP it prints), or run without KEY to be asked for every share');
    }
    st = await gen.attemptStart();
    otp = st.otp;
    ctx.io.err(`Started a DR operation token generation (nonce ${st.nonce}): ${st.required} shares of the PRIMARY's unseal key are needed.\n`);
  }
  const nonce = ctx.args.string('nonce') ?? st.nonce;
  for await (const share of shares(ctx, key, Math.max(1, st.required - st.progress))) {
    let r: DrOperationTokenAttempt;
    try {
      r = await gen.update(share, nonce);
    } catch (e: unknown) {
      if (!(e instanceof CofferApiError) || e.status === 0) throw e;
      const now = await gen.attemptStatus().catch(() => undefined);
      const progress = now === undefined ? 'unknown' : now.started ? `${now.progress}/${now.required}` : 'no attempt in progress';
      throw new CommandError(`the server refused the share (HTTP ${e.status}): ${e.errors.join('; ') || 'no reason given'}; progress is now ${progress}`);
    }
    if (r.complete) return finish(ctx, r, otp);
    ctx.io.err(`Progress: ${r.progress}/${r.required}\n`);
    st = r;
  }
  emit(ctx, st, () => `${attemptTable(st)}\n\nSubmit the remaining shares with coffer dr operation-token generate${otp !== undefined && ctx.args.string('otp') === undefined ? ` -otp=${otp}` : ''}`);
  return 0;
}

export const drOperationTokenGenerate: ClientCommand = {
  kind: 'client',
  path: 'dr operation-token generate',
  synopsis: "Generate a DR operation token from the primary's unseal key shares",
  help: `[options] [KEY|-]

  Generates a DR operation token on this DR secondary from a threshold of the PRIMARY's unseal key
  shares (recovery key shares under auto-unseal), generate-root style. Simplest: run it without
  arguments on a terminal and type each share when asked (hidden), or pipe the shares one per
  line; it starts the attempt, submits the shares and prints the token. Shared among several
  holders: one runs -init and passes on the nonce, each submits a share with KEY, and the last one
  (with -otp=<OTP>) gets the token. -decode=<encoded_token> -otp=<OTP> only decodes.`,
  flags: {
    init: { kind: 'bool', usage: 'Start an attempt; prints the nonce and the OTP.' },
    status: { kind: 'bool', usage: 'Print the progress of the attempt.' },
    cancel: { kind: 'bool', usage: 'Cancel the attempt in progress.' },
    nonce: { kind: 'string', usage: 'Nonce of the attempt (default: the one in progress).' },
    otp: { kind: 'string', usage: 'The OTP printed by -init: decodes the token when the last share is in.' },
    decode: { kind: 'string', usage: 'Only decode this encoded_token (with -otp).' },
    field: { kind: 'string', usage: 'Print only this field (token), raw.' },
  },
  async run(ctx) {
    const [key] = positionals(ctx, 0, 1, 'at most one KEY');
    const a = ctx.args;
    const modes = ['init', 'status', 'cancel'].filter((m) => a.bool(m)).concat(a.has('decode') ? ['decode'] : []);
    if (modes.length > 1) throw new UsageError(`-${modes.join(' and -')} exclude each other`);
    if (modes.length === 1 && key !== undefined) throw new UsageError(`-${modes[0] ?? ''} takes no key`);
    const gen = ctx.client.dr.generateOperationToken;
    if (a.has('decode')) {
      const otp = a.string('otp');
      if (otp === undefined) throw new UsageError('-decode needs -otp: the OTP printed when the attempt started');
      const t = decodeWithOtp(a.string('decode') ?? '', otp);
      if (!t.ok) throw new UsageError(t.error);
      return printToken(ctx, t.value, undefined);
    }
    if (a.bool('init')) {
      const s = await gen.attemptStart();
      emit(ctx, s, () => `${attemptTable(s)}\n\nKeep the OTP: it decodes the token. Submit ${s.required} shares of the PRIMARY's unseal key with\n  coffer dr operation-token generate -otp=<OTP> [KEY]`);
      return 0;
    }
    if (a.bool('status')) {
      const s = await gen.attemptStatus();
      emit(ctx, s, () => attemptTable(s));
      return 0;
    }
    if (a.bool('cancel')) {
      await gen.attemptCancel();
      ctx.io.out('Success! Canceled the DR operation token generation (if one was started)\n');
      return 0;
    }
    return submit(ctx, key);
  },
};

export const drOperationTokenDelete: ClientCommand = {
  kind: 'client',
  path: 'dr operation-token delete',
  synopsis: 'Revoke a DR operation token',
  help: `[options]

  Revokes the DR operation token given with -dr-operation-token (or COFFER_DR_OPERATION_TOKEN),
  e.g. once a drill is over.`,
  flags: { 'dr-operation-token': DR_OPERATION_TOKEN_FLAG },
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    const op = await requireDrOperationToken(ctx, 'delete');
    await ctx.client.dr.deleteOperationToken(op);
    ctx.io.out('Success! Deleted the DR operation token\n');
    return 0;
  },
};
