import { describe, expect, it } from 'vitest';
import type { CofferError, Result } from '@coffer/base';
import { cofferError, err, ok } from '@coffer/base';
import type { Completed, GenerationStatus } from './operation-token.js';
import { OPERATION_TOKEN_OTP_LENGTH, OperationTokenGenerator, decodeOperationToken, encodeWithOtp } from './operation-token.js';
import { hashSecret } from './encoding.js';
import { failure, seededRandom, value } from './results.test-helper.js';

const SHARES = ['01aa', '02bb', '03cc'];
/** The barrier twin: the right shares are 01aa, 02bb, 03cc (any 2 of them). */
async function verifyShares(shares: readonly Uint8Array[]): Promise<Result<void, CofferError>> {
  const hex = shares.map((s) => Buffer.from(s).toString('hex'));
  return hex.every((h) => SHARES.includes(h)) ? ok(undefined) : err(cofferError('permission-denied', 'the key shares do not reconstruct the root key'));
}
function make(): OperationTokenGenerator {
  return new OperationTokenGenerator(verifyShares, seededRandom(7));
}
const isCompleted = (x: GenerationStatus | Completed): x is Completed => 'tokenHash' in x;

describe('DR operation token generation (generate-root style)', () => {
  it('start returns a nonce and an OTP; status shows progress; shares complete it; the token decodes with the OTP', async () => {
    const g = make();
    expect(g.status()).toMatchObject({ started: false, progress: 0, required: 0 });
    const start = value(g.start({ required: 2 }));
    expect(start).toMatchObject({ started: true, progress: 0, required: 2, complete: false, otp_length: OPERATION_TOKEN_OTP_LENGTH });
    expect(start.nonce).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(start.otp).toMatch(/^[A-Za-z0-9]{28}$/);
    expect(g.status().otp).toBe(''); // shown once
    const one = value(await g.update({ key: '01aa', nonce: start.nonce }));
    expect(one).toMatchObject({ started: true, progress: 1, required: 2, complete: false });
    const done = value(await g.update({ key: Buffer.from([2, 0xbb]).toString('base64'), nonce: start.nonce }));
    if (!isCompleted(done)) throw new Error('expected completion');
    expect(done.status).toMatchObject({ complete: true, progress: 2, required: 2 });
    expect(done.status.encoded_token).toMatch(/^[A-Za-z0-9+/]+$/);
    const token = value(decodeOperationToken(done.status.encoded_token, start.otp));
    expect(token).toMatch(/^hvs\.[A-Za-z0-9]{24}$/);
    expect(done.tokenHash).toBe(hashSecret(token));
    expect(g.status().started).toBe(false); // success ends the attempt
  });

  it('a second start is refused while one runs; cancel ends it', () => {
    const g = make();
    value(g.start({ required: 2 }));
    expect(failure(g.start({ required: 2 })).message).toMatch(/already in progress/);
    g.cancel();
    expect(g.status().started).toBe(false);
    expect(g.start({ required: 2 }).ok).toBe(true);
  });

  it('update without an attempt, or with another nonce, is refused and changes nothing', async () => {
    const g = make();
    expect(failure(await g.update({ key: '01aa', nonce: 'x' })).message).toMatch(/no DR operation token generation in progress/);
    const s = value(g.start({ required: 2 }));
    expect(failure(await g.update({ key: '01aa', nonce: 'wrong' })).message).toMatch(new RegExp(`incorrect nonce.*${s.nonce}`));
    expect(g.status().progress).toBe(0);
  });

  it('a duplicate or undecodable share is refused without losing progress', async () => {
    const g = make();
    const { nonce } = value(g.start({ required: 3 }));
    value(await g.update({ key: '01aa', nonce }));
    expect(failure(await g.update({ key: '01AA', nonce })).message).toMatch(/already been provided/);
    expect(failure(await g.update({ key: 'not a key!', nonce })).message).toMatch(/hex or base64/);
    expect(g.status().progress).toBe(1);
  });

  it('wrong shares: a clear error, progress reset to 0, the same attempt (nonce) continues (as Vault)', async () => {
    const g = make();
    const { nonce, otp } = value(g.start({ required: 2 }));
    value(await g.update({ key: '01aa', nonce }));
    const e = failure(await g.update({ key: '09ff', nonce }));
    expect(e.message).toMatch(/do not reconstruct the root key.*progress was reset/);
    expect(g.status()).toMatchObject({ started: true, nonce, progress: 0 });
    value(await g.update({ key: '01aa', nonce }));
    const done = value(await g.update({ key: '03cc', nonce }));
    if (!isCompleted(done)) throw new Error('expected completion');
    expect(value(decodeOperationToken(done.status.encoded_token, otp))).toMatch(/^hvs\./);
  });

  it('refuses a pgp key (not supported) and a zero threshold', () => {
    expect(failure(make().start({ required: 2, pgpKey: 'abc' })).message).toMatch(/pgp_key is not supported/);
    expect(make().start({ required: 0 }).ok).toBe(false);
  });

  it('decode: encode round-trips; a wrong-length OTP or non-base64 input is refused', () => {
    const token = 'hvs.ABCDEFGHIJKLMNOPQRSTUVWX';
    const otp = 'abcdefghijklmnopqrstuvwxyz01';
    const encoded = encodeWithOtp(token, otp);
    expect(value(decodeOperationToken(encoded, otp))).toBe(token);
    expect(value(decodeOperationToken(encoded + '=', otp))).toBe(token);
    expect(failure(decodeOperationToken(encoded, otp.slice(1))).message).toMatch(/OTP is 27 characters/);
    expect(failure(decodeOperationToken('%%%', otp)).message).toMatch(/not base64/);
  });
});
