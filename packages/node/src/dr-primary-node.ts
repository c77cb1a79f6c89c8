/**
 * `DrPrimaryNode` on any node of a cluster: the committed DR record from the state machine,
 * leadership with the leader's DR address (by default its cluster address: the DR service is
 * mounted on the node's transport), and DR commands proposed through raft (applied on every node
 * with `applyDrCommand`, dr-apply.ts).
 */
import { cofferError, err, ok, type CofferError, type NodeId, type Result } from '@coffer/base';
import { decodeSealConfig, SEAL_CONFIG_PATH } from '@coffer/barrier';
import type { DrCommand, DrPrimaryNode, DrState, Leadership } from '@coffer/dr-replication';
import { drCommandPayload } from './dr-local-state.js';
import type { DrProposer } from './dr-propose.js';
import type { NodeRuntime } from './runtime.js';
import type { SecretsStateMachine } from './secrets-state-machine.js';

export interface RaftDrPrimaryNodeDeps {
  readonly rt: NodeRuntime;
  readonly sm: SecretsStateMachine;
  readonly proposer: DrProposer;
  /**
   * This cluster's id; default: the DR record's once in DR (a secondary's seal configuration is
   * the primary's copy), else the seal configuration's (empty before init).
   */
  readonly clusterId?: () => string;
  /** A member's DR address; default: its cluster address from the peer directory. */
  readonly drAddressOf?: (id: NodeId) => string | undefined;
}

export class RaftDrPrimaryNode implements DrPrimaryNode {
  constructor(private readonly deps: RaftDrPrimaryNodeDeps) {}

  clusterId(): string {
    if (this.deps.clusterId !== undefined) return this.deps.clusterId();
    const state = this.deps.sm.drState();
    return state.mode === 'disabled' ? (sealedClusterId(this.deps.sm) ?? '') : state.clusterId;
  }

  leadership(): Leadership {
    const { rt } = this.deps;
    if (rt.roleNow() === 'leader') return { kind: 'leader' };
    const leader = rt.leaderNow();
    const address = leader === null ? undefined : (this.deps.drAddressOf ?? ((id: NodeId) => rt.peers.get(id)))(leader);
    return address === undefined ? { kind: 'not-leader' } : { kind: 'not-leader', leaderDrAddress: address };
  }

  drState(): DrState {
    return this.deps.sm.drState();
  }

  async propose(command: DrCommand): Promise<Result<DrState, CofferError>> {
    const r = await this.deps.proposer.propose(drCommandPayload(command));
    if (!r.ok) return r;
    return r.value.state === undefined ? err(cofferError('internal', 'the DR apply returned no record')) : ok(r.value.state);
  }
}

/** The cluster id in the seal configuration, or undefined before init. */
export function sealedClusterId(sm: SecretsStateMachine): string | undefined {
  const stored = sm.get(SEAL_CONFIG_PATH);
  if (stored === undefined) return undefined;
  const c = decodeSealConfig(stored.value);
  return c.ok ? c.value.clusterId : undefined;
}
