/** `coffer operator init|unseal|seal|step-down|rotate|key-status`. */
import type { InitRequest } from '@coffer/client';
import { UsageError, type ClientCommand } from './command.js';
import { emit, positionals, secretInput } from './emit.js';
import { keyValueTable } from './format.js';
import { sealStatusTable } from './seal-output.js';

export const operatorInit: ClientCommand = {
  kind: 'client',
  path: 'operator init',
  synopsis: 'Initialize a new cluster: split the root key into unseal key shares',
  help: `[options]

  Initializes a new Coffer cluster (once, on any node). Prints the unseal key shares and the initial
  root token: store them safely, they are shown only once. With -status, exits 0 when initialized,
  2 when not, 1 on error.`,
  flags: {
    'key-shares': { kind: 'int', usage: 'Number of key shares to split the root key into.', default: '5' },
    'key-threshold': { kind: 'int', usage: 'Number of key shares required to reconstruct the root key.', default: '3' },
    'recovery-shares': { kind: 'int', usage: 'Number of recovery key shares (auto-unseal).', default: '5 with auto-unseal' },
    'recovery-threshold': { kind: 'int', usage: 'Recovery key shares required (auto-unseal).', default: '3 with auto-unseal' },
    status: { kind: 'bool', usage: 'Only report whether the cluster is initialized (exit 0 yes, 2 no).' },
  },
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    const a = ctx.args;
    if (a.bool('status')) {
      const initialized = await ctx.client.sys.initStatus();
      ctx.io.out(initialized ? 'Coffer is initialized\n' : 'Coffer is not initialized\n');
      return initialized ? 0 : 2;
    }
    const seal = await ctx.client.sys.sealStatus();
    const isAuto = seal.type !== 'shamir';
    const req: InitRequest = {
      secret_shares: a.int('key-shares') ?? 5,
      secret_threshold: a.int('key-threshold') ?? 3,
      ...(isAuto || a.has('recovery-shares') ? { recovery_shares: a.int('recovery-shares') ?? 5 } : {}),
      ...(isAuto || a.has('recovery-threshold') ? { recovery_threshold: a.int('recovery-threshold') ?? 3 } : {}),
    };
    const r = await ctx.client.sys.init(req);
    const recovery = r.recovery_keys_base64 ?? [];
    // Vault's -format=json shape for init (not the raw API body).
    emit(ctx, {
      unseal_keys_b64: r.keys_base64, unseal_keys_hex: r.keys, unseal_shares: req.secret_shares, unseal_threshold: req.secret_threshold,
      recovery_keys_b64: recovery, recovery_keys_hex: r.recovery_keys ?? [], recovery_keys_shares: req.recovery_shares ?? 0,
      recovery_keys_threshold: req.recovery_threshold ?? 0, root_token: r.root_token,
    }, () => initText(r.keys_base64, recovery, r.root_token, req));
    // The keys above are valid either way; a missing root token must not pass silently.
    for (const w of r.warnings ?? []) ctx.io.err(`WARNING: ${w}\n`);
    return r.root_token === '' ? 1 : 0;
  },
};

function initText(keys: readonly string[], recovery: readonly string[], rootToken: string, req: InitRequest): string {
  const lines: string[] = [];
  if (recovery.length > 0) {
    recovery.forEach((k, i) => lines.push(`Recovery Key ${i + 1}: ${k}`));
    lines.push('', `Initial Root Token: ${rootToken}`, '', 'Success! Coffer is initialized', '');
    lines.push(`Recovery key initialized with ${recovery.length} key shares and a key threshold of ${req.recovery_threshold ?? 3}. Please`);
    lines.push('securely distribute the key shares printed above. They authorize rekeying and other privileged');
    lines.push('operations; they cannot decrypt the root key.');
    return lines.join('\n');
  }
  keys.forEach((k, i) => lines.push(`Unseal Key ${i + 1}: ${k}`));
  const t = req.secret_threshold ?? 3;
  lines.push('', `Initial Root Token: ${rootToken}`, '');
  lines.push(`Coffer initialized with ${keys.length} key shares and a key threshold of ${t}. Please securely`);
  lines.push('distribute the key shares printed above. When a Coffer node is sealed, restarted, or stopped,');
  lines.push(`you must supply at least ${t} of these keys to unseal it before it can serve requests.`);
  lines.push('', `Coffer does not store the generated root key. Without at least ${t} keys to reconstruct the`);
  lines.push('root key, Coffer will remain permanently sealed!', '');
  lines.push('It is possible to generate new unseal keys, provided you have a quorum of existing unseal key');
  lines.push('shares. See "coffer operator rekey" for more information.');
  return lines.join('\n');
}

export const operatorUnseal: ClientCommand = {
  kind: 'client',
  path: 'operator unseal',
  synopsis: 'Submit one unseal key share to a node',
  help: `[options] [KEY]

  Submits one unseal key share to the node at the address (each node is unsealed separately). Without
  KEY it prompts for it without echo on a terminal, or reads it from stdin when piped. -reset clears
  the shares submitted so far.`,
  flags: { reset: { kind: 'bool', usage: 'Discard the unseal progress on this node.' } },
  async run(ctx) {
    const [key] = positionals(ctx, 0, 1, 'at most one KEY');
    if (ctx.args.bool('reset')) {
      if (key !== undefined) throw new UsageError('-reset takes no key');
      const s = await ctx.client.sys.unsealReset();
      emit(ctx, s, () => sealStatusTable(s, undefined));
      return 0;
    }
    const share = await secretInput(ctx, key, 'Unseal Key (will be hidden): ');
    const s = await ctx.client.sys.unseal(share);
    emit(ctx, s, () => sealStatusTable(s, undefined));
    return 0;
  },
};

export const operatorSeal: ClientCommand = {
  kind: 'client',
  path: 'operator seal',
  synopsis: 'Seal the node (needs a root token)',
  help: `[options]

  Seals the node at the address: it stops serving until unsealed again with the key shares.`,
  flags: {},
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    await ctx.client.sys.seal();
    ctx.io.out('Success! Coffer is sealed.\n');
    return 0;
  },
};

export const operatorStepDown: ClientCommand = {
  kind: 'client',
  path: 'operator step-down',
  synopsis: 'Make the active node hand leadership to another node',
  help: `[options]

  Asks the active node to step down; another node becomes active after an election.`,
  flags: {},
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    await ctx.client.sys.stepDown();
    ctx.io.out(`Success! Stepped down: ${ctx.address}\n`);
    return 0;
  },
};

export const operatorRotate: ClientCommand = {
  kind: 'client',
  path: 'operator rotate',
  synopsis: 'Add a new keyring term (new data encryption key)',
  help: `[options]

  Installs a new encryption key term in the keyring; new writes use it, old data stays readable.`,
  flags: {},
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    await ctx.client.sys.rotate();
    const k = await ctx.client.sys.keyStatus();
    emit(ctx, k, () => `Success! Rotated key\n\n${keyStatusTable(k)}`);
    return 0;
  },
};

export const operatorKeyStatus: ClientCommand = {
  kind: 'client',
  path: 'operator key-status',
  synopsis: 'Print the current keyring term',
  help: `[options]

  Prints the keyring's current term, when it was installed and how many encryptions it did.`,
  flags: {},
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    const k = await ctx.client.sys.keyStatus();
    emit(ctx, k, () => keyStatusTable(k));
    return 0;
  },
};

function keyStatusTable(k: { term: number; install_time: string; encryptions?: number }): string {
  return keyValueTable([['Key Term', k.term], ['Install Time', k.install_time], ...(k.encryptions !== undefined ? [['Encryption Count', k.encryptions] as const] : [])]);
}
