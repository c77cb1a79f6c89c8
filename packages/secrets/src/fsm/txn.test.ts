import { describe, expect, it } from 'vitest';
import { SeededRng } from '@coffer/base';
import { decodeTxn, encodeTxn } from './txn.js';
import type { Txn } from './txn.js';

const sample: Txn = {
  checks: [{ path: 'a/b', modIndex: 7 }, { path: 'c', absent: true }],
  ops: [{ put: 'a/b', value: new Uint8Array([1, 2, 3]) }, { del: 'x' }, { delPrefix: 'logical/m1/' }, { put: 'é/日本/😀', value: new Uint8Array(0) }],
  leaderTimeMs: 1_796_000_000_123,
};

describe('txn codec', () => {
  it('round-trips every check and op kind, including non-ASCII paths and big numbers', () => {
    const back = decodeTxn(encodeTxn(sample));
    expect(back).toEqual({ ok: true, value: sample });
    const big: Txn = { checks: [{ path: 'p', modIndex: Number.MAX_SAFE_INTEGER }], ops: [], leaderTimeMs: 0 };
    expect(decodeTxn(encodeTxn(big))).toEqual({ ok: true, value: big });
  });

  it('refuses to encode a lone surrogate rather than corrupt the path', () => {
    expect(() => encodeTxn({ checks: [], ops: [{ del: 'a\uD800' }], leaderTimeMs: 0 })).toThrow(/well-formed/);
  });

  it('names the problem in a typed error for truncation, trailing bytes, bad kinds and bad versions', () => {
    const bytes = encodeTxn(sample);
    for (let cut = 0; cut < bytes.length; cut++) {
      const r = decodeTxn(bytes.subarray(0, cut));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.kind).toBe('invalid-request');
    }
    const trailing = new Uint8Array([...bytes, 0]);
    expect(decodeTxn(trailing)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/trailing/) } });
    const badVersion = Uint8Array.from(bytes);
    badVersion[0] = 9;
    expect(decodeTxn(badVersion)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/version 9/) } });
    // A huge count with no bytes behind it is refused before any allocation.
    expect(decodeTxn(new Uint8Array([1, 0, 0xff, 0xff, 0xff, 0x7f]))).toMatchObject({ ok: false });
  });

  it('fuzz: random and mutated bytes never throw and always give ok or a typed error', () => {
    const rng = new SeededRng(0xc0ffee);
    const valid = encodeTxn(sample);
    let decodedOk = 0;
    for (let i = 0; i < 20_000; i++) {
      let input: Uint8Array;
      if (i % 2 === 0) {
        input = new Uint8Array(rng.int(0, 64));
        for (let j = 0; j < input.length; j++) input[j] = rng.int(0, 256);
        if (input.length > 0 && i % 4 === 0) input[0] = 1; // get past the version byte
      } else {
        input = Uint8Array.from(valid);
        for (let k = rng.int(1, 4); k > 0; k--) input[rng.int(0, input.length)] = rng.int(0, 256);
      }
      const r = decodeTxn(input);
      if (r.ok) {
        decodedOk++;
        expect(decodeTxn(encodeTxn(r.value))).toEqual(r); // anything accepted re-encodes to itself
      } else {
        expect(r.error.kind).toBe('invalid-request');
        expect(r.error.message).toMatch(/^malformed txn: /);
      }
    }
    expect(decodedOk).toBeGreaterThan(0);
  });
});
