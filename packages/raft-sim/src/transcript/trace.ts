/**
 * What happened recently, in one line per event, shown when a transcript fails so that the
 * reader sees the messages and role changes that led to the failed expectation.
 */
import type { Entry, Message } from '@coffer/raft';

const KEPT_LINES = 300;

export class Trace {
  private lines: string[] = [];

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES * 2) this.lines = this.lines.slice(-KEPT_LINES);
  }

  tail(n: number): string[] {
    return this.lines.slice(-n);
  }
}

function entriesText(ents: readonly Entry[]): string {
  const first = ents[0];
  const last = ents[ents.length - 1];
  if (first === undefined || last === undefined) return '[]';
  return first === last ? `[${first.index}@t${first.term}]` : `[${first.index}@t${first.term}..${last.index}@t${last.term}]`;
}

/** One readable line per message: `n1->n2 append t2 prev=3@t1 ents=[4@t2..5@t2] commit=3`. */
export function describeMessage(m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} t${m.term}`;
  switch (m.type) {
    case 'append':
      return `${head} prev=${m.prevIndex}@t${m.prevTerm} ents=${entriesText(m.entries)} commit=${m.commit}`;
    case 'append-resp':
      return `${head} ${m.reject ? `reject index=${m.index} hint=${m.hintIndex}@t${m.hintTerm}` : `index=${m.index}`}`;
    case 'vote':
    case 'pre-vote':
      return `${head} last=${m.lastIndex}@t${m.lastTerm}${m.isTransfer ? ' transfer' : ''}`;
    case 'vote-resp':
    case 'pre-vote-resp':
      return `${head}${m.reject ? ' reject' : ' granted'}`;
    case 'heartbeat':
      return `${head} commit=${m.commit} seq=${m.seq}`;
    case 'heartbeat-resp':
      return `${head} seq=${m.seq}`;
    case 'snapshot':
      return `${head} snap=${m.snapshot.meta.index}@t${m.snapshot.meta.term}`;
    case 'timeout-now':
      return head;
    case 'read-index':
      return `${head} ctx=${m.ctx}`;
    case 'read-index-resp':
      return `${head} ctx=${m.ctx} index=${m.index}${m.reject ? ' reject' : ''}`;
  }
}
