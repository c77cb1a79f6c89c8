/** One line per message for the --verbose trace. */
import type { Message } from '@coffer/raft';

export function describeMessage(m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} t${m.term}`;
  switch (m.type) {
    case 'append':
      return `${head} prev=${m.prevIndex}/${m.prevTerm} n=${m.entries.length} commit=${m.commit}`;
    case 'append-resp':
      return `${head} ${m.reject ? 'reject' : 'ok'} index=${m.index}`;
    case 'vote':
    case 'pre-vote':
      return `${head} last=${m.lastIndex}/${m.lastTerm}`;
    case 'vote-resp':
    case 'pre-vote-resp':
      return `${head} ${m.reject ? 'reject' : 'grant'}`;
    case 'snapshot':
      return `${head} index=${m.snapshot.meta.index}`;
    default:
      return head;
  }
}
