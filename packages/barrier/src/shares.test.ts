import { describe, expect, it } from 'vitest';
import { checkShareConfig } from './layout.js';
import { combineShares, encodeShares, parseShare, ShareCollector, splitSecret } from './shares.js';
import { insecureSeededRandom } from './random.js';

const random = insecureSeededRandom(5);

describe('share configuration', () => {
  it('follows Vault: 1 <= t <= n <= 255, t = 1 only with n = 1', () => {
    expect(checkShareConfig(5, 3, 'secret').ok).toBe(true);
    expect(checkShareConfig(1, 1, 'secret').ok).toBe(true);
    expect(checkShareConfig(255, 255, 'secret').ok).toBe(true);
    const cases: Array<[number, number, RegExp]> = [
      [3, 5, /must not exceed/], [0, 0, /between 1 and 255/], [256, 3, /between 1 and 255/],
      [5, 1, /only allowed with/], [5, 0, /at least 1/], [2.5, 2, /integers/],
    ];
    for (const [n, t, why] of cases) {
      const r = checkShareConfig(n, t, 'secret');
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.kind).toBe('invalid-request');
      expect(!r.ok && r.error.message).toMatch(why);
    }
  });
});

describe('shares', () => {
  it('split accepts a Buffer secret and any t shares combine back', async () => {
    const secret = Buffer.from(random.bytes(32));
    const shares = await splitSecret(secret, 5, 3);
    expect(shares.every((s) => s.length === 33)).toBe(true);
    const back = await combineShares([Buffer.from(shares[4] ?? []), shares[0] ?? new Uint8Array(), shares[2] ?? new Uint8Array()]);
    expect(Buffer.from(back).equals(secret)).toBe(true);
  });

  it('too few shares combine into WRONG bytes without an error (why the barrier authenticates)', async () => {
    const secret = random.bytes(32);
    const shares = await splitSecret(secret, 5, 3);
    const wrong = await combineShares(shares.slice(0, 2));
    expect(Buffer.from(wrong).equals(Buffer.from(secret))).toBe(false);
  });

  it('parses hex and base64 and rejects malformed input without echoing it', async () => {
    const [share] = await splitSecret(random.bytes(32), 3, 2);
    if (share === undefined) throw new Error('no share');
    const { hex, base64 } = encodeShares([share]);
    expect(parseShare(hex[0] ?? '', 3)).toEqual({ ok: true, value: share });
    expect(parseShare(`  ${base64[0] ?? ''}\n`, 3)).toEqual({ ok: true, value: share });
    const bad = ['', 'zz', 'not a share!', (hex[0] ?? '').slice(2), `${hex[0] ?? ''}00`, 'AAAA'];
    for (const input of bad) {
      const r = parseShare(input, 3);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.kind).toBe('invalid-request');
      if (input.length > 4) expect(!r.ok && r.error.message).not.toContain(input);
    }
    expect(parseShare(hex[0] ?? '', 1).ok).toBe(false); // n = 1 expects the 32-byte key itself
  });

  it('collector refuses duplicates and same-index foreign shares', async () => {
    const a = await splitSecret(random.bytes(32), 3, 2);
    const b = await splitSecret(random.bytes(32), 3, 2);
    const c = new ShareCollector();
    expect(c.add(a[0] ?? new Uint8Array()).ok).toBe(true);
    const dup = c.add(Uint8Array.from(a[0] ?? []));
    expect(!dup.ok && dup.error.message).toMatch(/duplicate/);
    const foreign = Uint8Array.from(b[0] ?? []);
    foreign[32] = a[0]?.[32] ?? 0; // the library draws x-coordinates at random: force a collision
    const sameIndex = c.add(foreign);
    expect(!sameIndex.ok && sameIndex.error.message).toMatch(/same share index/);
    expect(c.count).toBe(1);
    expect(JSON.stringify(c)).toBe('"[redacted key shares]"');
  });
});
