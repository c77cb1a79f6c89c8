/**
 * Proposals waiting to apply on this leader: index -> (term, promise). A proposal succeeds only
 * when the entry applied at its index has its term; any other entry there means it was replaced
 * after a leader change, and the proposer hears not-leader (and retries with the same request id).
 */
import { cofferError, err, ok, type CofferError, type LogIndex, type Result, type Term } from '@coffer/base';

interface Waiter {
  readonly term: Term;
  readonly resolve: (r: Result<Uint8Array>) => void;
}

export class PendingProposals {
  private readonly byIndex = new Map<LogIndex, Waiter>();

  get size(): number {
    return this.byIndex.size;
  }

  wait(index: LogIndex, term: Term): Promise<Result<Uint8Array>> {
    return new Promise((resolve) => {
      // A stale waiter at the same index belongs to an entry already overwritten.
      this.byIndex.get(index)?.resolve(err(cofferError('not-leader', 'entry replaced by a newer leader')));
      this.byIndex.set(index, { term, resolve });
    });
  }

  /** The entry at `index` with `term` applied and produced `result`. */
  applied(index: LogIndex, term: Term, result: Uint8Array): void {
    const w = this.byIndex.get(index);
    if (w === undefined) return;
    this.byIndex.delete(index);
    w.resolve(w.term === term ? ok(result) : err(cofferError('not-leader', 'entry replaced by a newer leader')));
  }

  /** Everything at or below `index` is settled (a snapshot covered it). */
  settledUpTo(index: LogIndex, error: CofferError): void {
    for (const [i, w] of this.byIndex) {
      if (i <= index) {
        this.byIndex.delete(i);
        w.resolve(err(error));
      }
    }
  }

  failAll(error: CofferError): void {
    const all = [...this.byIndex.values()];
    this.byIndex.clear();
    for (const w of all) w.resolve(err(error));
  }
}
