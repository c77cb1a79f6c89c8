/**
 * What a failed request means for the history. The rule: a write is `fail` (definitely not
 * applied) only when it provably never reached the cluster's log; everything else is
 * `indeterminate` and the checker lets it take effect at any time after its call (or never).
 */
import { CofferApiError } from '@coffer/client';
import type { OpOutcome } from './types.js';

export interface ClassifiedError {
  readonly outcome: Exclude<OpOutcome, 'ok'>;
  /** A short class for "errors by kind": timeout, refused, network:ECONNRESET, sealed, http-503... */
  readonly label: string;
}

export function classifyError(e: unknown): ClassifiedError {
  if (!(e instanceof CofferApiError)) return { outcome: 'indeterminate', label: 'internal' };
  if (e.kind === 'timeout') return { outcome: 'indeterminate', label: 'timeout' };
  if (e.kind === 'network') {
    const text = e.errors.join(' ');
    // Connection refused: nothing was sent, so nothing can have been applied.
    if (/ECONNREFUSED/.test(text)) return { outcome: 'fail', label: 'refused' };
    const code = /\b(E[A-Z]{3,})\b/.exec(text)?.[1];
    return { outcome: 'indeterminate', label: `network:${code ?? 'closed'}` };
  }
  if (e.kind === 'bad-response') return { outcome: 'indeterminate', label: 'bad-response' };
  // A sealed node answers from its own gateway without forwarding anything.
  if (e.isSealed) return { outcome: 'fail', label: 'sealed' };
  // 4xx: the request was refused as such (bad input, denied); 408/429 are not refusals of content.
  if (e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429) return { outcome: 'fail', label: `http-${e.status}` };
  // 5xx after forwarding (no leader, a leader lost mid-commit): the entry may still commit.
  return { outcome: 'indeterminate', label: `http-${e.status}` };
}
