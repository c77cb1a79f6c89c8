/** `coffer policy write|read|list|delete`: ACL policies (sys/policies/acl). */
import type { Envelope } from '@coffer/client';
import { UsageError, type ClientCommand, type Ctx } from './command.js';
import { emit } from './emit.js';

const nameArg = (ctx: Ctx): string => {
  const p = ctx.args.positionals;
  if (p.length !== 1) throw new UsageError(`expected one NAME (got ${p.length} arguments)`);
  return p[0] ?? '';
};

export const policyWrite: ClientCommand = {
  kind: 'client',
  path: 'policy write',
  synopsis: 'Create or replace an ACL policy',
  help: `[options] NAME FILE | -

  Uploads the policy rules (HCL) in FILE, or on stdin with -, under NAME.
    coffer policy write app-ro app-ro.hcl`,
  flags: {},
  async run(ctx) {
    const p = ctx.args.positionals;
    if (p.length !== 2) throw new UsageError(`expected NAME and FILE (or -) (got ${p.length} arguments)`);
    const [name = '', file = ''] = p;
    let rules: string;
    if (file === '-') rules = (await ctx.io.readStdin()).toString('utf8');
    else {
      try {
        rules = ctx.io.readFile(file).toString('utf8');
      } catch (e: unknown) {
        throw new UsageError(`cannot read ${file}: ${e instanceof Error && 'code' in e ? String(e.code) : 'unreadable'}; give a policy file or - for stdin`);
      }
    }
    if (rules.trim() === '') throw new UsageError('the policy is empty: give its rules in the file (or on stdin)');
    await ctx.client.policy.write(name, rules);
    ctx.io.out(`Success! Uploaded policy: ${name}\n`);
    return 0;
  },
};

export const policyRead: ClientCommand = {
  kind: 'client',
  path: 'policy read',
  synopsis: "Print a policy's rules",
  help: `[options] NAME

  Prints the rules of the policy NAME. Exit 2 when there is no such policy.`,
  flags: {},
  async run(ctx) {
    const name = nameArg(ctx);
    const r = await ctx.client.request<Envelope<{ name?: string; policy?: string; rules?: string }>>('GET', `sys/policies/acl/${name}`, { acceptStatuses: [404] });
    if (r.status === 404 || r.body === undefined) {
      ctx.io.err(`No policy named: ${name}\n`);
      return 2;
    }
    const d = r.body.data;
    const rules = d.policy ?? d.rules ?? '';
    emit(ctx, r.body, () => rules.replace(/\n$/, ''));
    return 0;
  },
};

export const policyList: ClientCommand = {
  kind: 'client',
  path: 'policy list',
  synopsis: 'List the policy names',
  help: `[options]

  Prints the names of the ACL policies, one per line.`,
  flags: {},
  async run(ctx) {
    if (ctx.args.positionals.length > 0) throw new UsageError('policy list takes no arguments');
    const names = await ctx.client.policy.list();
    emit(ctx, names, () => names.join('\n'));
    return 0;
  },
};

export const policyDelete: ClientCommand = {
  kind: 'client',
  path: 'policy delete',
  synopsis: 'Delete a policy',
  help: `[options] NAME

  Deletes the policy NAME; tokens that had it lose its rights at once.`,
  flags: {},
  async run(ctx) {
    const name = nameArg(ctx);
    await ctx.client.policy.delete(name);
    ctx.io.out(`Success! Deleted policy: ${name}\n`);
    return 0;
  },
};
