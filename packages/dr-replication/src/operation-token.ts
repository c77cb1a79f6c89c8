/**
 * DR operation token generation on a secondary, after Vault's generate-root: an operator starts an
 * attempt (a nonce and a one-time pad are returned), key holders submit shares of the PRIMARY's
 * unseal (or recovery) key with the nonce, and when `required` shares are in they are checked
 * through the `verifyShares` port (the node combines them and checks them against the barrier).
 * On success the new token is returned XOR-ed with the OTP (base64, as Vault's `encoded_token`)
 * and its hash is handed to the node to store (addOperationToken); the plain token never leaves
 * this object except through that encoding.
 *
 * Follows Vault: a second start while one is running fails; update without an attempt or with
 * another nonce fails; a share given twice fails without losing progress; when the threshold is
 * reached the collected shares are cleared whatever the outcome, so wrong shares leave the attempt
 * started with progress 0 (same nonce and OTP); success ends the attempt. State is per node and in
 * memory (the gateway sends these calls to the active node), like Vault's.
 */
import type { CofferError, Result } from '@coffer/base';
import { cofferError, err, ok } from '@coffer/base';
import type { RandomBytes } from './encoding.js';
import { hashSecret, randomBase62 } from './encoding.js';

/** Checks a threshold of key shares against the barrier (the node implements it). */
export type VerifyShares = (shares: readonly Uint8Array[]) => Promise<Result<void, CofferError>>;

/** Vault's token shape: `hvs.` + 24 base62 characters; the OTP is as long as the token. */
const TOKEN_PREFIX = 'hvs.';
const TOKEN_RANDOM_CHARS = 24;
export const OPERATION_TOKEN_OTP_LENGTH = TOKEN_PREFIX.length + TOKEN_RANDOM_CHARS;

/** The attempt status, in Vault's field names (GET/POST/DELETE …/generate-operation-token/attempt). */
export interface GenerationStatus {
  readonly started: boolean;
  readonly nonce: string;
  readonly progress: number;
  readonly required: number;
  readonly complete: boolean;
  readonly encoded_token: string;
  /** Only in the answer to the start call (Vault shows it once). */
  readonly otp: string;
  readonly otp_length: number;
}

export interface Completed {
  readonly status: GenerationStatus;
  /** Store this through raft (addOperationToken) before answering the operator. */
  readonly tokenHash: string;
}

interface Attempt {
  readonly nonce: string;
  readonly otp: string;
  readonly required: number;
  shares: Uint8Array[];
  /** Set while verifyShares runs, so that a concurrent update cannot double-submit. */
  isVerifying: boolean;
}

export class OperationTokenGenerator {
  private attempt: Attempt | undefined;

  constructor(
    private readonly verifyShares: VerifyShares,
    private readonly random: RandomBytes,
  ) {}

  status(): GenerationStatus {
    const a = this.attempt;
    return {
      started: a !== undefined,
      nonce: a?.nonce ?? '',
      progress: a?.shares.length ?? 0,
      required: a?.required ?? 0,
      complete: false,
      encoded_token: '',
      otp: '',
      otp_length: OPERATION_TOKEN_OTP_LENGTH,
    };
  }

  /** Starts an attempt needing `required` shares (the seal's threshold: recovery threshold under auto-unseal). */
  start(input: { readonly required: number; readonly pgpKey?: string }): Result<GenerationStatus, CofferError> {
    if (input.pgpKey !== undefined && input.pgpKey !== '') {
      return err(cofferError('invalid-request', 'pgp_key is not supported: start the attempt without it and decode the token with the OTP'));
    }
    if (this.attempt !== undefined) {
      return err(cofferError('conflict', 'DR operation token generation already in progress: finish it, or cancel it (DELETE …/generate-operation-token/attempt)'));
    }
    if (!Number.isSafeInteger(input.required) || input.required < 1) {
      return err(cofferError('internal', `the seal's threshold is ${String(input.required)}: cannot generate a DR operation token`));
    }
    const otp = randomBase62(this.random, OPERATION_TOKEN_OTP_LENGTH);
    this.attempt = { nonce: uuid(this.random(16)), otp, required: input.required, shares: [], isVerifying: false };
    return ok({ ...this.status(), otp });
  }

  cancel(): void {
    this.attempt = undefined;
  }

  /** Submits one share (hex or base64) with the attempt's nonce. */
  async update(input: { readonly key: string; readonly nonce: string }): Promise<Result<GenerationStatus | Completed, CofferError>> {
    const a = this.attempt;
    if (a === undefined) {
      return err(cofferError('invalid-request', 'no DR operation token generation in progress: start one first (…/generate-operation-token/attempt)'));
    }
    if (input.nonce !== a.nonce) {
      return err(cofferError('invalid-request', `incorrect nonce supplied; nonce for this DR operation token generation is ${a.nonce}`));
    }
    if (a.isVerifying) {
      return err(cofferError('conflict', 'the shares are being checked: retry in a moment'));
    }
    const share = decodeShare(input.key);
    if (share === undefined) {
      return err(cofferError('invalid-request', "'key' must be a valid hex or base64 string"));
    }
    if (a.shares.some((s) => equalBytes(s, share))) {
      return err(cofferError('invalid-request', 'given key has already been provided during this generation operation'));
    }
    a.shares.push(share);
    if (a.shares.length < a.required) return ok(this.status());
    const shares = a.shares;
    a.shares = [];
    a.isVerifying = true;
    let verdict: Result<void, CofferError>;
    try {
      verdict = await this.verifyShares(shares);
    } finally {
      a.isVerifying = false;
    }
    if (this.attempt !== a) {
      return err(cofferError('conflict', 'the generation was cancelled while the shares were checked'));
    }
    if (!verdict.ok) {
      return err(
        cofferError('invalid-request', `DR operation token generation failed: ${verdict.error.message}; progress was reset, submit the shares again with the same nonce`),
      );
    }
    const token = TOKEN_PREFIX + randomBase62(this.random, TOKEN_RANDOM_CHARS);
    this.attempt = undefined;
    const status: GenerationStatus = {
      started: false,
      nonce: a.nonce,
      progress: a.required,
      required: a.required,
      complete: true,
      encoded_token: encodeWithOtp(token, a.otp),
      otp: '',
      otp_length: OPERATION_TOKEN_OTP_LENGTH,
    };
    return ok({ status, tokenHash: hashSecret(token) });
  }
}

/** Vault's encoding: raw standard base64 of (token XOR otp), byte by byte (same lengths). */
export function encodeWithOtp(token: string, otp: string): string {
  const t = Buffer.from(token, 'utf8');
  const o = Buffer.from(otp, 'utf8');
  if (t.length !== o.length) throw new Error('token and OTP lengths differ');
  return Buffer.from(t.map((b, i) => b ^ (o[i] ?? 0))).toString('base64').replace(/=+$/, '');
}

/** The CLI's `-decode`: the token from `encoded_token` and the OTP of the attempt. */
export function decodeOperationToken(encodedToken: string, otp: string): Result<string, CofferError> {
  const text = encodedToken.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    return err(cofferError('invalid-request', 'the encoded token is not base64: pass the encoded_token of the completed attempt'));
  }
  const bytes = Buffer.from(text, 'base64');
  const o = Buffer.from(otp.trim(), 'utf8');
  if (bytes.length !== o.length) {
    return err(cofferError('invalid-request', `the OTP is ${o.length} characters but the encoded token holds ${bytes.length} bytes: use the OTP returned when this attempt started`));
  }
  return ok(Buffer.from(bytes.map((b, i) => b ^ (o[i] ?? 0))).toString('utf8'));
}

function decodeShare(key: string): Uint8Array | undefined {
  const k = key.trim();
  if (k.length === 0) return undefined;
  if (/^([0-9a-fA-F]{2})+$/.test(k)) return new Uint8Array(Buffer.from(k, 'hex'));
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(k)) {
    const b = Buffer.from(k, 'base64');
    return b.length > 0 ? new Uint8Array(b) : undefined;
  }
  return undefined;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function uuid(bytes: Uint8Array): string {
  const b = Uint8Array.from(bytes);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
