/**
 * Proposes a DR payload (dr-local-state.ts) on this node, which must lead, and answers with the
 * apply's outcome. DR payloads bypass the dedup table, so the request id only has to be unique
 * per proposal; nothing retries here: after a timeout or a lost leadership the caller reads the
 * committed state (the record, the stream position) to learn what happened.
 */
import { cofferError, err, ok, type Result } from '@coffer/base';
import { decodeDrOutcome, type DrOutcome } from './dr-local-state.js';
import type { NodeOps } from './node-ops.js';
import type { NodeRuntime } from './runtime.js';

export class DrProposer {
  private seq = 0;

  constructor(
    private readonly rt: NodeRuntime,
    private readonly ops: NodeOps,
  ) {}

  async propose(payload: Uint8Array): Promise<Result<DrOutcome & { readonly ok: true }>> {
    if (this.rt.roleNow() !== 'leader') return err(this.ops.notLeader());
    this.seq += 1;
    const requestId = { clientId: `dr/${this.rt.id}`, seq: this.seq };
    const r = await this.ops.proposeLocal({ kind: 'command', command: { requestId, payload } }, performance.now() + this.ops.requestTimeoutMs);
    if (!r.ok) return r;
    const outcome = decodeDrOutcome(r.value);
    if (!outcome.ok) return outcome;
    const o = outcome.value;
    return o.ok ? ok(o) : err(cofferError(o.kind, o.message));
  }
}
