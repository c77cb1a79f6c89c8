/** `coffer audit enable|list|disable`: audit devices (sys/audit). */
import { UsageError, type ClientCommand } from './command.js';
import { emit } from './emit.js';
import { formatValue, headedTable } from './format.js';

const withSlash = (p: string): string => (p.endsWith('/') ? p : `${p}/`);

export const auditEnable: ClientCommand = {
  kind: 'client',
  path: 'audit enable',
  synopsis: 'Enable an audit device',
  help: `[options] TYPE [KEY=VALUE...]

  Enables an audit device of TYPE (file) with its options, at -path (default: TYPE/).
    coffer audit enable file file_path=/var/log/coffer/audit.log`,
  flags: {
    path: { kind: 'string', usage: 'Where to enable the device.', default: 'TYPE/' },
    description: { kind: 'string', usage: 'A human-friendly description.' },
  },
  async run(ctx) {
    const [type, ...pairs] = ctx.args.positionals;
    if (type === undefined) throw new UsageError('expected the device TYPE (e.g. file)');
    const options: Record<string, string> = {};
    for (const kv of pairs) {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError(`options are KEY=VALUE (e.g. file_path=/var/log/audit.log)`);
      options[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const path = withSlash(ctx.args.string('path') ?? type);
    const description = ctx.args.string('description');
    await ctx.client.audit.enable(path, { type, options, ...(description !== undefined ? { description } : {}) });
    ctx.io.out(`Success! Enabled the ${type} audit device at: ${path}\n`);
    return 0;
  },
};

export const auditList: ClientCommand = {
  kind: 'client',
  path: 'audit list',
  synopsis: 'List the enabled audit devices',
  help: `[options]

  Prints each enabled audit device (with -detailed, its options). Exit 2 when there is none.`,
  flags: { detailed: { kind: 'bool', usage: 'Also print each device\'s options.' } },
  async run(ctx) {
    if (ctx.args.positionals.length > 0) throw new UsageError('audit list takes no arguments');
    const devices = await ctx.client.audit.list();
    const paths = Object.keys(devices).sort();
    if (paths.length === 0) {
      if (ctx.format === 'json') ctx.io.out('{}\n');
      else ctx.io.err('No audit devices are enabled.\n');
      return ctx.format === 'json' ? 0 : 2;
    }
    const detailed = ctx.args.bool('detailed');
    emit(ctx, devices, () => headedTable(
      detailed ? ['Path', 'Type', 'Description', 'Options'] : ['Path', 'Type', 'Description'],
      paths.map((p) => {
        const d = devices[p];
        const row = [p, d?.type ?? '', d?.description === '' || d?.description === undefined ? 'n/a' : d.description];
        return detailed ? [...row, formatValue(d?.options ?? {})] : row;
      }),
    ));
    return 0;
  },
};

export const auditDisable: ClientCommand = {
  kind: 'client',
  path: 'audit disable',
  synopsis: 'Disable an audit device',
  help: `[options] PATH

  Disables the audit device at PATH (e.g. file/).`,
  flags: {},
  async run(ctx) {
    const p = ctx.args.positionals;
    if (p.length !== 1) throw new UsageError(`expected one PATH (got ${p.length} arguments)`);
    const path = withSlash(p[0] ?? '');
    await ctx.client.audit.disable(path);
    ctx.io.out(`Success! Disabled audit device (if it was enabled) at: ${path}\n`);
    return 0;
  },
};
