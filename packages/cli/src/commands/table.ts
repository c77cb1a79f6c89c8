/** Every `coffer` command, by the words that name it. The order is the order of the help text. */
import { auditDisable, auditEnable, auditList } from './audit.js';
import type { Command } from './command.js';
import { DR_COMMANDS, DR_GROUP_SYNOPSIS } from './dr.js';
import { deleteCommand, listCommand, readCommand, writeCommand } from './generic.js';
import { kvGet, kvPatch, kvPut } from './kv.js';
import { kvDelete, kvDestroy, kvList, kvMetadataDelete, kvMetadataGet, kvUndelete } from './kv-manage.js';
import { loginCommand } from './login.js';
import { operatorInit, operatorKeyStatus, operatorRotate, operatorSeal, operatorStepDown, operatorUnseal } from './operator.js';
import { operatorRekey } from './operator-rekey.js';
import { raftAutopilotState, raftJoin, raftListPeers, raftRemovePeer, raftSnapshotRestore, raftSnapshotSave } from './operator-raft.js';
import { policyDelete, policyList, policyRead, policyWrite } from './policy.js';
import { devCommand, gatewayCommand, loadtestCommand, serverCommand } from './server-commands.js';
import { statusCommand } from './status.js';
import { tokenCreate, tokenLookup, tokenRenew, tokenRevoke } from './token.js';

export const COMMANDS: readonly Command[] = [
  serverCommand, devCommand, gatewayCommand, loadtestCommand,
  statusCommand, loginCommand,
  operatorInit, operatorUnseal, operatorSeal, operatorStepDown, operatorRekey, operatorRotate, operatorKeyStatus,
  raftListPeers, raftJoin, raftRemovePeer, raftSnapshotSave, raftSnapshotRestore, raftAutopilotState,
  kvPut, kvGet, kvPatch, kvDelete, kvUndelete, kvDestroy, kvList, kvMetadataGet, kvMetadataDelete,
  readCommand, writeCommand, listCommand, deleteCommand,
  tokenCreate, tokenLookup, tokenRenew, tokenRevoke,
  policyWrite, policyRead, policyList, policyDelete,
  auditEnable, auditList, auditDisable,
  ...DR_COMMANDS,
];

/** One line per group in the help texts. */
export const GROUP_SYNOPSIS: Readonly<Record<string, string>> = {
  operator: 'Cluster operations: init, unseal, seal, step-down, rekey, rotate, raft',
  'operator raft': 'Raft peers, snapshots and autopilot',
  'operator raft snapshot': 'Save and restore snapshots of the cluster state',
  'operator raft autopilot': "Autopilot's view of the cluster",
  kv: 'Read and write KV v2 secrets',
  'kv metadata': "A secret's metadata and versions",
  token: 'Create, look up, renew and revoke tokens',
  policy: 'Write, read, list and delete ACL policies',
  audit: 'Enable, list and disable audit devices',
  ...DR_GROUP_SYNOPSIS,
};

export interface Resolved {
  /** The command named by the leading words, if they name one. */
  readonly command: Command | undefined;
  /** The words consumed (the command's path, or the group they name). */
  readonly words: readonly string[];
  /** Everything after those words. */
  readonly rest: readonly string[];
}

/** The longest run of leading words that names a command (`operator raft snapshot save`). */
export function resolveCommand(argv: readonly string[], commands: readonly Command[] = COMMANDS): Resolved {
  const byPath = new Map(commands.map((c) => [c.path, c]));
  const groups = new Set(commands.flatMap((c) => c.path.split(' ').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join(' '))));
  let best: Resolved = { command: undefined, words: [], rest: argv };
  for (let n = 1; n <= Math.min(argv.length, 4); n++) {
    const words = argv.slice(0, n);
    if (words.some((w) => w.startsWith('-'))) break;
    const path = words.join(' ');
    const c = byPath.get(path);
    if (c !== undefined) best = { command: c, words, rest: argv.slice(n) };
    else if (groups.has(path)) best = { command: undefined, words, rest: argv.slice(n) };
    else break;
    if (c !== undefined && c.kind === 'raw') break;
  }
  return best;
}

/** The subcommands under a group (or every top-level entry for the empty group). */
export function commandsUnder(prefix: readonly string[], commands: readonly Command[] = COMMANDS): { name: string; synopsis: string }[] {
  const seen = new Map<string, string>();
  for (const c of commands) {
    const words = c.path.split(' ');
    if (words.length <= prefix.length || prefix.some((w, i) => words[i] !== w)) continue;
    const next = words[prefix.length] ?? '';
    const isLeaf = words.length === prefix.length + 1;
    const group = [...prefix, next].join(' ');
    if (!seen.has(next) || isLeaf) seen.set(next, isLeaf ? c.synopsis : GROUP_SYNOPSIS[group] ?? `${group} commands`);
  }
  return [...seen.entries()].map(([name, synopsis]) => ({ name, synopsis }));
}
