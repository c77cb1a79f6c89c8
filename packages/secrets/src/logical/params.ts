/**
 * Request-body field parsing with Vault's leniency (its framework "weak-decodes": `"5"` is an int,
 * `"true"` a bool) but nothing looser: anything else is a 400 naming the field.
 * Fields a handler does not know are not errors (Vault ignores them), but they are reported back
 * as Vault's warning `Endpoint ignored these unrecognized parameters: [...]`.
 */
import { parseDurationSeconds } from './time.js';

export type FieldResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const good = <T>(value: T): FieldResult<T> => ({ ok: true, value });
const bad = <T>(field: string, what: string): FieldResult<T> => ({ ok: false, error: `invalid value for field "${field}": expected ${what}` });

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The request body as an object: absent is `{}`; a non-object body is a 400. */
export function bodyObject(data: unknown): FieldResult<JsonObject> {
  if (data === undefined || data === null) return good({});
  return isObject(data) ? good(data) : { ok: false, error: 'request body must be a JSON object' };
}

export function intField(field: string, raw: unknown, min = Number.MIN_SAFE_INTEGER): FieldResult<number> {
  let n: number | undefined;
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) n = raw;
  else if (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)) n = Number(raw);
  if (n === undefined || !Number.isSafeInteger(n) || n < min) return bad(field, min >= 0 ? 'a non-negative integer' : 'an integer');
  return good(n);
}

export function boolField(field: string, raw: unknown): FieldResult<boolean> {
  if (typeof raw === 'boolean') return good(raw);
  if (raw === 'true' || raw === '1' || raw === 1) return good(true);
  if (raw === 'false' || raw === '0' || raw === 0) return good(false);
  return bad(field, 'a boolean');
}

export function durationField(field: string, raw: unknown): FieldResult<number> {
  const s = parseDurationSeconds(raw);
  if (s === undefined || s < 0) return bad(field, 'a non-negative duration such as "30m", "1h" or a number of seconds');
  return good(s);
}

/** Vault's comma-int-slice: `[1, 2]`, `"1,2"` or `3`. */
export function intListField(field: string, raw: unknown): FieldResult<number[]> {
  const items: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').filter((s) => s.trim() !== '') : [raw];
  const out: number[] = [];
  for (const item of items) {
    const n = intField(field, item, 0);
    if (!n.ok) return bad(field, 'an array of non-negative integers');
    out.push(n.value);
  }
  return good(out);
}

export function unknownFieldsWarning(body: JsonObject, known: readonly string[]): string[] {
  const extra = Object.keys(body).filter((k) => !known.includes(k)).sort();
  return extra.length > 0 ? [`Endpoint ignored these unrecognized parameters: [${extra.join(' ')}]`] : [];
}
