/**
 * The secondary activation token: what primary/secondary-token returns and secondary/enable (or
 * update-primary) takes. A compact string, `cdr1.` + base64url(JSON claims), that names the
 * secondary, the primary cluster and its DR addresses, expires, and carries a one-time secret.
 * The primary stores only the secret's hash (in its DR record, `issueSecondaryToken`); the token
 * is consumed on the primary by the Activate RPC (`activateSecondary`), so it works once.
 *
 * The token is a bearer capability, like Vault's wrapping token: pass it out of band, never log it.
 */
import type { CofferError, Result } from '@coffer/base';
import { cofferError, err, ok } from '@coffer/base';
import type { RandomBytes } from './encoding.js';
import { fromBase64Url, hashSecret, toBase64Url } from './encoding.js';
import { DEFAULT_SECONDARY_TOKEN_TTL_MS } from './dr-primary-transitions.js';
import { checkClusterId, checkSecondaryId } from './validate.js';

const PREFIX = 'cdr1.';
const SECRET_BYTES = 32;
const MAX_TOKEN_CHARS = 16_384;

export interface ActivationClaims {
  readonly secondaryId: string;
  readonly primaryClusterId: string;
  readonly primaryAddresses: readonly string[];
  /** The primary's replication epoch when it minted the token. */
  readonly epoch: number;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
  /** base64url of 32 random bytes: the one-time secret. */
  readonly secret: string;
  readonly primaryCaPem?: string;
}

export interface MintInput {
  readonly secondaryId: string;
  readonly primaryClusterId: string;
  readonly primaryAddresses: readonly string[];
  readonly epoch: number;
  readonly nowMs: number;
  /** Default 30 minutes (Vault's default). */
  readonly ttlMs?: number;
  readonly primaryCaPem?: string;
}

export interface MintedToken {
  readonly token: string;
  /** Store this (issueSecondaryToken), never the token. */
  readonly secretHash: string;
  readonly claims: ActivationClaims;
}

export function mintActivationToken(input: MintInput, random: RandomBytes): Result<MintedToken, CofferError> {
  const id = checkSecondaryId(input.secondaryId);
  if (!id.ok) return id;
  const cluster = checkClusterId(input.primaryClusterId, 'primaryClusterId');
  if (!cluster.ok) return cluster;
  if (input.primaryAddresses.length === 0 || input.primaryAddresses.some((a) => a.length === 0)) {
    return err(cofferError('invalid-request', 'the primary has no DR cluster address to put in the token: set its cluster address (primary_cluster_addr)'));
  }
  const ttlMs = input.ttlMs ?? DEFAULT_SECONDARY_TOKEN_TTL_MS;
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    return err(cofferError('invalid-request', `ttl must be a positive duration, got ${String(ttlMs)} ms`));
  }
  const secret = toBase64Url(random(SECRET_BYTES));
  const claims: ActivationClaims = {
    secondaryId: input.secondaryId,
    primaryClusterId: input.primaryClusterId,
    primaryAddresses: [...input.primaryAddresses],
    epoch: input.epoch,
    issuedAtMs: input.nowMs,
    expiresAtMs: input.nowMs + ttlMs,
    secret,
    ...(input.primaryCaPem === undefined ? {} : { primaryCaPem: input.primaryCaPem }),
  };
  const wire = {
    v: 1,
    sid: claims.secondaryId,
    pc: claims.primaryClusterId,
    pa: claims.primaryAddresses,
    ep: claims.epoch,
    iat: claims.issuedAtMs,
    exp: claims.expiresAtMs,
    s: claims.secret,
    ...(claims.primaryCaPem === undefined ? {} : { ca: claims.primaryCaPem }),
  };
  const token = PREFIX + toBase64Url(new TextEncoder().encode(JSON.stringify(wire)));
  return ok({ token, secretHash: hashSecret(secret), claims });
}

const malformed = (why: string): Result<never, CofferError> =>
  err(cofferError('invalid-request', `malformed activation token: ${why}; copy the whole token printed by primary/secondary-token`));

/** Decodes a token without judging it (shape only). Errors never echo the token. */
export function decodeActivationToken(token: string): Result<ActivationClaims, CofferError> {
  const t = token.trim();
  if (t.length === 0) return malformed('it is empty');
  if (t.length > MAX_TOKEN_CHARS) return malformed(`it is longer than ${MAX_TOKEN_CHARS} characters`);
  if (!t.startsWith(PREFIX)) return malformed(`it does not start with "${PREFIX}"`);
  const bytes = fromBase64Url(t.slice(PREFIX.length));
  if (bytes === undefined) return malformed('it is not base64url');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return malformed('its body is not JSON (truncated?)');
  }
  if (typeof raw !== 'object' || raw === null) return malformed('its body is not an object');
  const o = raw as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const num = (k: string): number | undefined =>
    typeof o[k] === 'number' && Number.isSafeInteger(o[k]) && (o[k] as number) >= 0 ? (o[k] as number) : undefined;
  if (o['v'] !== 1) return malformed(`unsupported version ${JSON.stringify(o['v'])}`);
  const sid = str('sid');
  const pc = str('pc');
  const s = str('s');
  const ep = num('ep');
  const iat = num('iat');
  const exp = num('exp');
  const pa = o['pa'];
  if (sid === undefined || pc === undefined || s === undefined || ep === undefined || iat === undefined || exp === undefined) {
    return malformed('a field is missing or has the wrong type');
  }
  if (!Array.isArray(pa) || pa.length === 0 || !pa.every((a): a is string => typeof a === 'string' && a.length > 0)) {
    return malformed('it names no primary address');
  }
  const secretBytes = fromBase64Url(s);
  if (secretBytes?.length !== SECRET_BYTES) return malformed('its secret has the wrong length');
  const ca = o['ca'];
  if (ca !== undefined && typeof ca !== 'string') return malformed('its CA certificate is not text');
  return ok({
    secondaryId: sid,
    primaryClusterId: pc,
    primaryAddresses: pa,
    epoch: ep,
    issuedAtMs: iat,
    expiresAtMs: exp,
    secret: s,
    ...(ca === undefined ? {} : { primaryCaPem: ca }),
  });
}

export interface VerifyExpectations {
  readonly nowMs: number;
  /** The secondary's own id (when the operator configured one): must be the id in the token. */
  readonly secondaryId?: string;
  /** The primary cluster the verifier is (on the primary) or expects (on the secondary). */
  readonly primaryClusterId?: string;
}

/**
 * Decodes and checks a token: malformed, expired, wrong secondary id and foreign cluster are
 * distinct errors. "Already used" and "revoked" can only be known on the primary
 * (`activateSecondary`, through the Activate RPC).
 */
export function verifyActivationToken(token: string, expect: VerifyExpectations): Result<ActivationClaims, CofferError> {
  const decoded = decodeActivationToken(token);
  if (!decoded.ok) return decoded;
  const c = decoded.value;
  if (expect.nowMs >= c.expiresAtMs) {
    return err(cofferError('permission-denied', `activation token expired at ${new Date(c.expiresAtMs).toISOString()}: create a new one on the primary with primary/secondary-token`));
  }
  if (expect.secondaryId !== undefined && expect.secondaryId !== c.secondaryId) {
    return err(cofferError('permission-denied', `wrong secondary id: this activation token is for "${c.secondaryId}", not "${expect.secondaryId}"`));
  }
  if (expect.primaryClusterId !== undefined && expect.primaryClusterId !== c.primaryClusterId) {
    return err(
      cofferError('permission-denied', `activation token from a foreign cluster: it was issued by cluster ${c.primaryClusterId}, this is cluster ${expect.primaryClusterId}`),
    );
  }
  return ok(c);
}
