/**
 * How the state machine applies the DR payload kinds (see dr-local-state.ts), on every node of a
 * cluster. Deterministic: the outcome depends only on the state and the entry's bytes.
 *
 * A DR batch or snapshot applies only on a DR secondary that follows the batch's primary: after a
 * promote (or disable) commits, a batch the old streamer proposed just before must not land on
 * data that is now this cluster's own. Entries are checked before anything is applied, so a batch
 * is applied whole or not at all, together with the new position (one store batch).
 */
import { cofferError, type CofferError } from '@coffer/base';
import { applyDrCommand, planBatch, type DrCommand, type DrEntryRecord, type DrState } from '@coffer/dr-replication';
import { fromUtf8 } from './bytes.js';
import { decodeEnvelope } from './envelope.js';
import {
  decodeDrBatch,
  decodeDrSnapshot,
  encodeDrOutcome,
  KIND_DR,
  KIND_DR_BATCH,
  KIND_DR_SNAPSHOT,
  type DrLocalState,
  type DrOutcome,
} from './dr-local-state.js';
import type { ApplyOutcome, Command, KvWrite } from './ports.js';
import { parseRestoreContent, type RestoreContent } from './restore-content.js';

/** What the DR apply needs of the state machine. */
export interface DrApplyHost {
  readonly dr: DrLocalState;
  /** Applies one of the primary's data commands (txn, restore, raw KV) at the primary's index. */
  applyReplicated(command: Command, index: number): ApplyOutcome;
  /** Replaces data and dedup records with the snapshot's; returns the writes. */
  replaceReplicated(content: RestoreContent): KvWrite[];
  /** Reloads the data at index 0 (this cluster's own log takes over from the primary's indexes). */
  rebase(): void;
}

export function isDrKind(kind: number): boolean {
  return kind === KIND_DR || kind === KIND_DR_BATCH || kind === KIND_DR_SNAPSHOT;
}

const refused = (kind: CofferError['kind'], message: string): ApplyOutcome => ({ writes: [], result: encodeDrOutcome({ ok: false, kind, message }) });
const applied = (writes: KvWrite[], o: DrOutcome): ApplyOutcome => ({ writes, result: encodeDrOutcome(o) });

export function applyDrPayload(host: DrApplyHost, kind: number, body: Uint8Array, _index: number): ApplyOutcome {
  try {
    if (kind === KIND_DR) return applyCommand(host, JSON.parse(fromUtf8(body)) as DrCommand);
    if (kind === KIND_DR_BATCH) return applyBatch(host, decodeDrBatch(body));
    return applySnapshot(host, decodeDrSnapshot(body));
  } catch (e: unknown) {
    if (e instanceof RangeError || e instanceof SyntaxError) return refused('invalid-request', 'the DR entry does not decode');
    throw e;
  }
}

function applyCommand(host: DrApplyHost, command: DrCommand): ApplyOutcome {
  const before = host.dr.state;
  const next = applyDrCommand(before, command);
  if (!next.ok) return refused(next.error.kind, next.error.message);
  const writes = [host.dr.setState(next.value)];
  if (before.mode === 'secondary' && next.value.mode !== 'secondary') host.rebase();
  // A new link (enable, or update-primary to any primary) always starts with a snapshot: indexes
  // of an earlier stint under the same primary mean nothing after either side diverged.
  const isNewLink = command.kind === 'enable-secondary' || (command.kind === 'update-primary' && command.claims !== undefined);
  const cleared = isNewLink ? host.dr.clearPosition() : undefined;
  if (cleared !== undefined) writes.push(cleared);
  return applied(writes, { ok: true, state: next.value });
}

/** Why this cluster must not apply what `primaryClusterId` sent, or undefined when it may. */
function followRefusal(state: DrState, primaryClusterId: string): CofferError | undefined {
  if (state.mode !== 'secondary') return cofferError('conflict', `this cluster is not a DR secondary (mode ${state.mode}); entries from ${primaryClusterId} are not applied`);
  if (state.primary?.primaryClusterId !== primaryClusterId) return cofferError('conflict', `this DR secondary does not follow cluster ${primaryClusterId}; its entries are not applied`);
  return undefined;
}

function applyBatch(host: DrApplyHost, batch: { readonly primaryClusterId: string; readonly entries: readonly DrEntryRecord[] }): ApplyOutcome {
  const refusal = followRefusal(host.dr.state, batch.primaryClusterId);
  if (refusal !== undefined) return refused(refusal.kind, refusal.message);
  const pos = host.dr.position;
  const last = pos?.primaryClusterId === batch.primaryClusterId ? pos.lastAppliedPrimaryIndex : 0;
  const plan = planBatch(last, batch.entries);
  if (plan.kind === 'gap') return refused('conflict', `gap in the DR stream: expected entry ${plan.expectedIndex}, got ${plan.firstIndex}; resume from ${plan.expectedIndex}`);
  // Decode everything first: a batch applies whole or not at all.
  const commands: { readonly index: number; readonly command: Command }[] = [];
  for (const e of plan.entries) {
    // Membership is per cluster, and a new leader's no-op carries nothing.
    if (e.type === 'conf-change' || e.data.length === 0) continue;
    const env = decodeEnvelope(e.data);
    if (env === undefined) return refused('invalid-request', `primary entry ${e.index} holds an envelope this node does not know; upgrade this cluster first`);
    // Peer addresses are the primary's members; DR payloads are the primary's own DR record.
    if (env.kind !== 'command') continue;
    const kind = env.command.payload[0];
    if (kind !== undefined && isDrKind(kind)) continue;
    commands.push({ index: e.index, command: env.command });
  }
  const writes: KvWrite[] = [];
  for (const c of commands) writes.push(...host.applyReplicated(c.command, c.index).writes);
  const position = { primaryClusterId: batch.primaryClusterId, lastAppliedPrimaryIndex: plan.lastIndex };
  writes.push(host.dr.setPosition(position));
  return applied(writes, { ok: true, position });
}

function applySnapshot(host: DrApplyHost, snap: { readonly primaryClusterId: string; readonly index: number; readonly content: Uint8Array }): ApplyOutcome {
  const refusal = followRefusal(host.dr.state, snap.primaryClusterId);
  if (refusal !== undefined) return refused(refusal.kind, refusal.message);
  const parsed = parseRestoreContent(snap.content, true);
  if (!parsed.ok) return refused('invalid-request', `the primary's snapshot was refused: ${parsed.error}`);
  const writes = host.replaceReplicated(parsed.value);
  const position = { primaryClusterId: snap.primaryClusterId, lastAppliedPrimaryIndex: snap.index };
  writes.push(host.dr.setPosition(position));
  return applied(writes, { ok: true, position });
}

