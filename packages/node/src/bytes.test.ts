import { describe, expect, it } from 'vitest';
import { ByteWriter, compareBytes, encodePairs, encodePairsAsync, sortPairsByKey } from './bytes.js';

function randomPairs(n: number, seed: number): [Uint8Array, Uint8Array][] {
  let x = seed;
  const next = (): number => (x = (x * 1103515245 + 12345) >>> 0) % 256;
  return Array.from({ length: n }, () => {
    const k = Uint8Array.from({ length: 1 + (next() % 12) }, next);
    const v = Uint8Array.from({ length: next() % 40 }, next);
    return [k, v] as [Uint8Array, Uint8Array];
  });
}

describe('snapshot encoding', () => {
  it('sorts by unsigned key bytes exactly as compareBytes does', () => {
    const pairs = randomPairs(2000, 7);
    const expected = [...pairs].sort((a, b) => compareBytes(a[0], b[0]));
    expect(sortPairsByKey([...pairs]).map((p) => p[0])).toEqual(expected.map((p) => p[0]));
  });

  it('writes the same bytes as ByteWriter, in one go or in slices', async () => {
    const pairs = randomPairs(500, 11);
    const w = new ByteWriter();
    w.u32(pairs.length);
    for (const [k, v] of pairs) w.bytes(k).bytes(v);
    const reference = w.finish();
    expect(encodePairs(pairs)).toEqual(reference);
    const head = Uint8Array.of(9, 9, 9);
    const sliced = await encodePairsAsync(pairs, head, 64);
    expect(sliced.subarray(0, 3)).toEqual(head);
    expect(sliced.subarray(3)).toEqual(reference);
  });
});
