import { describe, expect, it } from 'vitest';
import { nobleCipher, nodeCipher } from './cipher.js';
import { openRecord, parseRecord, sealRecord } from './envelope.js';
import { insecureSeededRandom } from './random.js';

const random = insecureSeededRandom(11);
const key = random.bytes(32);
const nonce = random.bytes(12);
const plaintext = new TextEncoder().encode('s3cr3t');

describe('record envelope', () => {
  it('is [4-byte BE term][0x2][12-byte nonce][ciphertext || tag]', () => {
    const rec = sealRecord(nodeCipher, key, 0x01020304, nonce, plaintext, 'secret/a');
    expect([...rec.subarray(0, 5)]).toEqual([1, 2, 3, 4, 2]);
    expect(rec.subarray(5, 17)).toEqual(nonce);
    expect(rec.length).toBe(4 + 1 + 12 + plaintext.length + 16);
    expect(rec.subarray(17)).toEqual(nobleCipher.seal(key, nonce, plaintext, new TextEncoder().encode('secret/a')));
  });

  it('opens at its own path and fails at another path', () => {
    const rec = sealRecord(nobleCipher, key, 3, nonce, plaintext, 'secret/a');
    const parsed = parseRecord(rec, 'secret/a');
    expect(parsed.ok && parsed.value.term).toBe(3);
    if (!parsed.ok) return;
    const opened = openRecord(nodeCipher, key, parsed.value, 'secret/a');
    expect(opened.ok && new TextDecoder().decode(opened.value)).toBe('s3cr3t');
    const moved = openRecord(nodeCipher, key, parsed.value, 'secret/b');
    expect(moved.ok).toBe(false);
    expect(!moved.ok && moved.error.kind).toBe('internal');
    expect(!moved.ok && moved.error.message).toMatch(/moved from another path/);
  });

  it('refuses version 0x1 (no AAD) and truncated records', () => {
    const rec = sealRecord(nodeCipher, key, 1, nonce, plaintext, 'p');
    const v1 = rec.slice();
    v1[4] = 1;
    const r1 = parseRecord(v1, 'p');
    expect(!r1.ok && r1.error.message).toMatch(/unsupported envelope version 1/);
    expect(parseRecord(rec.subarray(0, 20), 'p').ok).toBe(false);
  });
});
