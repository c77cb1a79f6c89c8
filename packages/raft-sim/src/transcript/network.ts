/**
 * The transcripts' network: one FIFO mailbox for the whole cluster, so a run is a pure function
 * of its commands. A partition splits the nodes into groups; a message between groups is lost,
 * both when it is sent and when it would be delivered (so healing does not resurrect it).
 */
import type { NodeId } from '@coffer/base';
import type { Message, MessageType } from '@coffer/raft';
import { MESSAGE_TYPES } from '@coffer/raft';
import type { Words } from './parse.js';
import { fail, option } from './parse.js';

export interface MessageFilter {
  readonly from?: ReadonlySet<string>;
  readonly to?: ReadonlySet<string>;
  readonly types?: ReadonlySet<MessageType>;
  /** Only responses with this reject flag (append-resp, vote-resp, ...). */
  readonly reject?: boolean;
}

export function parseFilter(words: Words): MessageFilter {
  const list = (key: string): Set<string> | undefined => {
    const v = option(words, key);
    return v === undefined ? undefined : new Set(v.split(','));
  };
  const types = list('type');
  for (const t of types ?? []) {
    if (!(MESSAGE_TYPES as readonly string[]).includes(t)) fail(`unknown message type ${t} (one of ${MESSAGE_TYPES.join(', ')})`);
  }
  const reject = option(words, 'reject');
  if (reject !== undefined && reject !== 'true' && reject !== 'false') fail(`reject= takes true or false`);
  const from = list('from');
  const to = list('to');
  return {
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(types === undefined ? {} : { types: types as Set<MessageType> }),
    ...(reject === undefined ? {} : { reject: reject === 'true' }),
  };
}

export function matches(f: MessageFilter, m: Message): boolean {
  if (f.from !== undefined && !f.from.has(m.from)) return false;
  if (f.to !== undefined && !f.to.has(m.to)) return false;
  if (f.types !== undefined && !f.types.has(m.type)) return false;
  if (f.reject !== undefined && (!('reject' in m) || m.reject !== f.reject)) return false;
  return true;
}

export class Network {
  private queue: Message[] = [];
  /** Group number of each listed node; unlisted nodes share group -1. Null when healed. */
  private groups: Map<string, number> | null = null;

  partition(groups: ReadonlyArray<readonly NodeId[]>): void {
    const map = new Map<string, number>();
    groups.forEach((g, i) => {
      for (const id of g) {
        if (map.has(id)) fail(`${id} is in two groups of the partition`);
        map.set(id, i);
      }
    });
    this.groups = map;
  }

  heal(): void {
    this.groups = null;
  }

  isCut(from: NodeId, to: NodeId): boolean {
    if (this.groups === null) return false;
    return (this.groups.get(from) ?? -1) !== (this.groups.get(to) ?? -1);
  }

  /** Queues messages; returns those lost to the partition at once. */
  send(msgs: readonly Message[]): Message[] {
    const lost: Message[] = [];
    for (const m of msgs) (this.isCut(m.from, m.to) ? lost : this.queue).push(m);
    return lost;
  }

  /** Removes and returns the queued messages that match, in order. */
  take(f: MessageFilter): Message[] {
    const taken: Message[] = [];
    const kept: Message[] = [];
    for (const m of this.queue) (matches(f, m) ? taken : kept).push(m);
    this.queue = kept;
    return taken;
  }

  pending(): readonly Message[] {
    return this.queue;
  }
}
