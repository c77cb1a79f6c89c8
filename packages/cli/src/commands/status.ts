/** `coffer status`: seal status and HA state. Exit 0 unsealed, 2 sealed, 1 error (as vault). */
import type { LeaderStatus } from '@coffer/client';
import type { ClientCommand } from './command.js';
import { emit, positionals } from './emit.js';
import { sealStatusTable } from './seal-output.js';

export const statusCommand: ClientCommand = {
  kind: 'client',
  path: 'status',
  synopsis: 'Print seal and HA status',
  help: `[options]

  Prints the seal status of the Coffer node at the address and, when unsealed, its HA state.
  Exit code 0: unsealed; 2: sealed; 1: error (cannot reach it, ...).`,
  flags: {},
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    const s = await ctx.client.sys.sealStatus();
    let leader: LeaderStatus | undefined;
    if (!s.sealed) leader = await ctx.client.sys.leader().catch(() => undefined);
    emit(ctx, { ...s, ...(leader ?? {}) }, () => sealStatusTable(s, leader));
    return s.sealed ? 2 : 0;
  },
};
