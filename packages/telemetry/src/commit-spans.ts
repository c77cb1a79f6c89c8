/**
 * Spans for proposals on the leader: one `coffer.node.commit` span per proposed entry, a child of
 * the request that proposed it (the active span at propose time), with the log index and term as
 * attributes and the Ready loop's milestones as events: `persisted` (in the leader's synced batch),
 * `committed` (a quorum has it) and `applied`. The span ends when the proposal settles.
 *
 * Cost when nothing is traced: `begin` sees a non-recording active span and records nothing, so
 * the map stays empty and the per-round calls return at the size check.
 */
import { context, trace, type Span, type Tracer } from '@opentelemetry/api';
import { ATTRS, SPANS } from './names.js';
import { getTracer, markSpanError } from './tracing.js';

export class CommitSpans {
  private readonly byIndex = new Map<number, Span>();

  constructor(private readonly tracer: Tracer = getTracer('coffer-node')) {}

  /** Number of spans open (proposals being traced). */
  get size(): number {
    return this.byIndex.size;
  }

  /** A proposal at `index` starts waiting; traced only inside a recording request span. */
  begin(index: number, term: number): Span | undefined {
    const parent = trace.getActiveSpan();
    if (parent === undefined || !parent.isRecording()) return undefined;
    const span = this.tracer.startSpan(SPANS.commit, { attributes: { [ATTRS.logIndex]: index, [ATTRS.term]: term } }, context.active());
    // A span already at this index belongs to an overwritten entry; its waiter settles (and
    // ends it) on its own, so the index now points at the new one.
    this.byIndex.set(index, span);
    return span;
  }

  /** Adds `event` to the spans of the entries in `indexes` (e.g. `persisted`, `committed`). */
  mark(event: string, indexes: readonly { readonly index: number }[]): void {
    if (this.byIndex.size === 0) return;
    for (const e of indexes) this.byIndex.get(e.index)?.addEvent(event);
  }

  /** The proposal at `index` settled: `failure` is its error kind, undefined when it applied. */
  end(index: number, span: Span | undefined, failure?: string): void {
    if (span === undefined) return;
    if (this.byIndex.get(index) === span) this.byIndex.delete(index);
    if (failure === undefined) span.addEvent('applied');
    else markSpanError(span, failure);
    span.end();
  }
}
