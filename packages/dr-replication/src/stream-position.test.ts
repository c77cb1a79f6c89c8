import { describe, expect, it } from 'vitest';
import type { PrimaryLink } from './dr-state.js';
import { planBatch, streamStart } from './stream-position.js';

const link: PrimaryLink = { primaryClusterId: 'A', primaryAddresses: ['a:1'], secondaryId: 's', credential: 'c' };
const e = (...indexes: number[]) => indexes.map((index) => ({ index }));

describe('streamStart', () => {
  it('a new link (no position, or a position from another primary) starts with a snapshot', () => {
    expect(streamStart(link, undefined)).toEqual({ kind: 'snapshot' });
    expect(streamStart(link, { primaryClusterId: 'OLD', lastAppliedPrimaryIndex: 900 })).toEqual({ kind: 'snapshot' });
  });
  it('a known position resumes after its last applied index', () => {
    expect(streamStart(link, { primaryClusterId: 'A', lastAppliedPrimaryIndex: 41 })).toEqual({ kind: 'entries', fromIndex: 42 });
  });
});

describe('planBatch (the apply side: exactly once)', () => {
  it('applies a batch that follows on', () => {
    expect(planBatch(10, e(11, 12))).toEqual({ kind: 'apply', entries: e(11, 12), lastIndex: 12 });
  });
  it('skips what was already applied (a batch proposed twice across a leader change)', () => {
    expect(planBatch(12, e(11, 12, 13))).toEqual({ kind: 'apply', entries: e(13), lastIndex: 13 });
    expect(planBatch(20, e(11, 12))).toEqual({ kind: 'apply', entries: [], lastIndex: 20 });
  });
  it('refuses a batch after a hole', () => {
    expect(planBatch(10, e(12, 13))).toEqual({ kind: 'gap', expectedIndex: 11, firstIndex: 12 });
  });
  it('an empty batch changes nothing', () => {
    expect(planBatch(7, [])).toEqual({ kind: 'apply', entries: [], lastIndex: 7 });
  });
});
