/** `coffer operator raft list-peers|join|remove-peer|snapshot save|snapshot restore|autopilot state`. */
import type { AutopilotState } from '@coffer/client';
import { CommandError, type ClientCommand } from './command.js';
import { emit, positionals } from './emit.js';
import { columns, headedTable, keyValueTable } from './format.js';

const CONFIG_PATH = 'sys/storage/raft/configuration';
const AUTOPILOT_PATH = 'sys/storage/raft/autopilot/state';

export const raftListPeers: ClientCommand = {
  kind: 'client',
  path: 'operator raft list-peers',
  synopsis: 'List the raft peers of the cluster',
  help: `[options]

  Prints each raft server: its node id, address, state (leader or follower) and whether it votes.`,
  flags: {},
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    if (ctx.format === 'json') {
      emit(ctx, (await ctx.client.read(CONFIG_PATH)).body, () => '');
      return 0;
    }
    const config = await ctx.client.raft.configuration();
    const rows = config.servers.map((s) => [s.node_id, s.address, s.leader ? 'leader' : 'follower', String(s.voter)]);
    ctx.io.out(`${headedTable(['Node', 'Address', 'State', 'Voter'], rows)}\n`);
    return 0;
  },
};

export const raftJoin: ClientCommand = {
  kind: 'client',
  path: 'operator raft join',
  synopsis: 'Join the node at the address to a cluster through its leader',
  help: `[options] LEADER_API_ADDR

  Asks the node at the address to join the cluster whose leader answers at LEADER_API_ADDR
  (e.g. http://10.0.0.1:8200). Then unseal it with the cluster's key shares.`,
  flags: {
    'non-voter': { kind: 'bool', usage: 'Join as a non-voting member.' },
    retry: { kind: 'bool', usage: 'Keep retrying the join in the background.' },
    'leader-ca-cert': { kind: 'string', usage: 'CA certificate (PEM file) of the leader.' },
    'leader-client-cert': { kind: 'string', usage: 'Client certificate (PEM file) for the leader.' },
    'leader-client-key': { kind: 'string', usage: 'Client key (PEM file) for the leader.' },
  },
  async run(ctx) {
    const [leader] = positionals(ctx, 1, 1, 'LEADER_API_ADDR');
    const a = ctx.args;
    const pem = (flag: string): string | undefined => {
      const f = a.string(flag);
      return f === undefined ? undefined : ctx.io.readFile(f).toString('utf8');
    };
    const ca = pem('leader-ca-cert');
    const cert = pem('leader-client-cert');
    const key = pem('leader-client-key');
    const joined = await ctx.client.raft.join({
      leader_api_addr: leader ?? '',
      ...(a.bool('non-voter') ? { non_voter: true } : {}),
      ...(a.bool('retry') ? { retry: true } : {}),
      ...(ca !== undefined ? { leader_ca_cert: ca } : {}),
      ...(cert !== undefined ? { leader_client_cert: cert } : {}),
      ...(key !== undefined ? { leader_client_key: key } : {}),
    });
    emit(ctx, { joined }, () => keyValueTable([['Joined', joined]]));
    return 0;
  },
};

export const raftRemovePeer: ClientCommand = {
  kind: 'client',
  path: 'operator raft remove-peer',
  synopsis: 'Remove a server from the raft configuration',
  help: `[options] SERVER_ID

  Removes the server SERVER_ID (its node id, see list-peers) from the cluster's voters.`,
  flags: {},
  async run(ctx) {
    const [id] = positionals(ctx, 1, 1, 'SERVER_ID');
    await ctx.client.raft.removePeer(id ?? '');
    ctx.io.out('Peer removed successfully!\n');
    return 0;
  },
};

export const raftSnapshotSave: ClientCommand = {
  kind: 'client',
  path: 'operator raft snapshot save',
  synopsis: 'Save a snapshot of the cluster state to a file',
  help: `[options] FILE

  Writes a snapshot of the replicated state (ciphertext only) to FILE (mode 0600).`,
  flags: {},
  async run(ctx) {
    const [file] = positionals(ctx, 1, 1, 'FILE');
    const bytes = await ctx.client.raft.snapshotSave();
    if (bytes.length === 0) throw new CommandError('the server answered an empty snapshot; nothing written');
    ctx.io.writeFile(file ?? '', bytes);
    return 0;
  },
};

export const raftSnapshotRestore: ClientCommand = {
  kind: 'client',
  path: 'operator raft snapshot restore',
  synopsis: 'Restore the cluster state from a snapshot file',
  help: `[options] FILE

  Replaces the cluster's state with the snapshot in FILE. -force restores a snapshot taken with other
  keys (then unseal with that snapshot's key shares).`,
  flags: { force: { kind: 'bool', usage: 'Restore even if the snapshot was taken with other keys.' } },
  async run(ctx) {
    const [file] = positionals(ctx, 1, 1, 'FILE');
    const bytes = ctx.io.readFile(file ?? '');
    await ctx.client.raft.snapshotRestore(new Uint8Array(bytes), { force: ctx.args.bool('force') });
    return 0;
  },
};

export const raftAutopilotState: ClientCommand = {
  kind: 'client',
  path: 'operator raft autopilot state',
  synopsis: "Print autopilot's view of the cluster's health",
  help: `[options]

  Prints whether the cluster is healthy, its failure tolerance, the leader, and each server's state.`,
  flags: {},
  async run(ctx) {
    positionals(ctx, 0, 0, 'no arguments');
    if (ctx.format === 'json') {
      emit(ctx, (await ctx.client.read(AUTOPILOT_PATH)).body, () => '');
      return 0;
    }
    ctx.io.out(`${autopilotText(await ctx.client.raft.autopilotState())}\n`);
    return 0;
  },
};

/** As vault prints it: a header block, the voters, then one indented block per server. */
export function autopilotText(s: AutopilotState): string {
  const out = [columns([['Healthy:', String(s.healthy)], ['Failure Tolerance:', String(s.failure_tolerance)], ['Leader:', s.leader]]), 'Voters:'];
  for (const v of s.voters) out.push(`   ${v}`);
  if ((s.non_voters ?? []).length > 0) {
    out.push('Non Voters:');
    for (const v of s.non_voters ?? []) out.push(`   ${v}`);
  }
  out.push('Servers:');
  for (const id of Object.keys(s.servers).sort()) {
    const v = s.servers[id];
    if (v === undefined) continue;
    out.push(`   ${id}`);
    const rows = [
      ['Name:', v.name], ['Address:', v.address], ['Status:', v.status], ['Node Status:', v.node_status], ['Healthy:', String(v.healthy)],
      ['Last Contact:', v.last_contact], ['Last Term:', String(v.last_term)], ['Last Index:', String(v.last_index)],
    ];
    out.push(...columns(rows).split('\n').map((l) => `      ${l}`));
  }
  return out.join('\n');
}
