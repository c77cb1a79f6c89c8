/** `coffer dr ...`: DR replication. `dr status` lives here; the rest by side in dr-*.ts. */
import type { ClientCommand } from './command.js';
import { drOperationTokenDelete, drOperationTokenGenerate } from './dr-operation-token.js';
import { DR_PRIMARY_COMMANDS } from './dr-primary.js';
import { DR_SECONDARY_COMMANDS } from './dr-secondary.js';
import { drStatusTable } from './dr-status-output.js';
import { emit, positionals } from './emit.js';

export const drStatus: ClientCommand = {
  kind: 'client',
  path: 'dr status',
  synopsis: 'DR replication status: mode, state, connection, lag',
  help: `[options]

  Prints the DR replication status of the node at the address (no token needed; works sealed):
  its mode, state and connection; for a secondary its lag behind the primary in entries and time;
  for a primary its secondaries. -format=json prints the server's DR status as is.`,
  flags: {},
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    const s = await ctx.client.dr.status();
    emit(ctx, s, () => drStatusTable(s, Date.now()));
    return 0;
  },
};

/** In help order. */
export const DR_COMMANDS: readonly ClientCommand[] = [
  drStatus, ...DR_PRIMARY_COMMANDS, ...DR_SECONDARY_COMMANDS, drOperationTokenGenerate, drOperationTokenDelete,
];

export const DR_GROUP_SYNOPSIS: Readonly<Record<string, string>> = {
  dr: 'DR replication: primary, secondary, operation tokens, status',
  'dr primary': 'DR primary: enable, secondary tokens, revoke, demote, disable',
  'dr secondary': 'DR secondary: enable (wipes data), promote, update-primary, disable',
  'dr operation-token': "DR operation tokens from the primary's unseal key shares",
};
