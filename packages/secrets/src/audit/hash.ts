/**
 * Audit hashing: a secret-bearing value becomes `hmac-sha256:<hex>` of its UTF-8 text under the
 * device's own key, so the log never holds the value yet an operator who knows a value can find it
 * (`sys/audit-hash/:path` computes the same function). Numbers are hashed as their JSON text, like
 * Vault's `json.Number` request values: a PIN is as secret as a password. Object keys, booleans and
 * null stay plain (Vault keeps map keys too).
 */
import { createHmac } from 'node:crypto';

export const HMAC_PREFIX = 'hmac-sha256:';

/** One value's audit hash under `key`. */
export function hashString(key: Uint8Array, value: string): string {
  return HMAC_PREFIX + createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

/** Maximum nesting walked; deeper data is replaced wholesale rather than risk logging it. */
const MAX_DEPTH = 64;

/**
 * A copy of `value` with every string and number replaced by its hash, recursively through arrays
 * and objects. `hash` is the identity when the device logs raw.
 */
export function hashStructure(value: unknown, hash: (s: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return hash(value);
  if (typeof value === 'number' || typeof value === 'bigint') return hash(String(value));
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return hash(JSON.stringify(value) ?? '');
  if (Array.isArray(value)) return value.map((v) => hashStructure(v, hash, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = hashStructure(v, hash, depth + 1);
  return out;
}
