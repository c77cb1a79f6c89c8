/**
 * `encrypt/:name`, `decrypt/:name`, `rewrap/:name`, `datakey/plaintext|wrapped/:name`.
 *
 * These are reads of the key record (guarded, decrypted on the leader) and answer without a txn,
 * except `encrypt` on a missing key, which upserts the key (its material drawn here; the ACL asked
 * for `create` through `existenceCheck`) and answers once that write has committed. Batches (`batch_input`) answer
 * every item; if any item failed the status is 400 with the whole `batch_results` in the envelope
 * (Vault's default `partial_failure_response_code`). Bad input never writes anything.
 */
import { badRequest, fromError, respond } from '../logical/response.js';
import { bodyObject, intField, isObject, unknownFieldsWarning } from '../logical/params.js';
import type { JsonObject } from '../logical/params.js';
import type { EngineContext, LogicalRequest, LogicalResponse, Outcome } from '../logical/types.js';
import { KEY_BYTES, decodeBase64 } from './transit-crypto.js';
import { b64, decryptItem, encryptItem, optionalBase64 } from './transit-cipher.js';
import type { DecodedInputs, ItemResult } from './transit-cipher.js';
import { newKeyOptions, transitEnvelope } from './transit-keys.js';
import type { RandomBytes } from './transit-keys.js';
import { newKeyRecord, readKey, writeKey } from './transit-records.js';
import type { TransitKeyRecord } from './transit-records.js';

const stop = (res: LogicalResponse): Outcome => respond(res);
const NOT_FOUND = 'encryption key not found';
const ITEM_FIELDS = ['plaintext', 'ciphertext', 'context', 'associated_data', 'key_version', 'nonce', 'reference'];

type Items = { items: JsonObject[]; isBatch: boolean } | { error: string };

/** The request's items: `batch_input` (top-level item fields ignored) or the body itself. */
function itemsOf(body: JsonObject): Items {
  const batch = body['batch_input'];
  if (batch === undefined || batch === null) return { items: [body], isBatch: false };
  if (!Array.isArray(batch) || !batch.every(isObject)) return { error: 'failed to parse batch input: expected an array of objects' };
  if (batch.length === 0) return { error: 'missing batch input to process' };
  return { items: batch, isBatch: true };
}

/** Per-item: the decoded context and associated data, the key version, and no nonce. */
function inputsOf(item: JsonObject): ItemResult<DecodedInputs & { keyVersion: number }> {
  const context = optionalBase64(item, 'context');
  if (!context.ok) return context;
  const aad = optionalBase64(item, 'associated_data');
  if (!aad.ok) return aad;
  if (item['nonce'] !== undefined && item['nonce'] !== '') return { ok: false, error: 'provided nonce not allowed for this key' };
  const kv = item['key_version'] === undefined || item['key_version'] === null ? { ok: true as const, value: 0 } : intField('key_version', item['key_version']);
  if (!kv.ok) return { ok: false, error: kv.error };
  return { ok: true, value: { context: context.value, aad: aad.value, keyVersion: kv.value } };
}

/** Runs `one` over every item and shapes Vault's single or batch response. */
function answer(
  parsed: { items: JsonObject[]; isBatch: boolean }, one: (item: JsonObject) => ItemResult<Record<string, unknown>>, warnings: string[],
): LogicalResponse {
  const results = parsed.items.map((item) => {
    const r = one(item);
    const reference = typeof item['reference'] === 'string' ? { reference: item['reference'] } : {};
    return r.ok ? { ...r.value, ...reference } : { error: r.error, ...reference };
  });
  if (!parsed.isBatch) {
    const first = results[0];
    if (first === undefined || 'error' in first) return badRequest(typeof first?.error === 'string' ? first.error : 'internal error');
    return transitEnvelope(first, { warnings });
  }
  const anyFailed = results.some((r) => 'error' in r);
  return transitEnvelope({ batch_results: results }, { warnings, ...(anyFailed ? { status: 400 } : {}) });
}

function plaintextOf(item: JsonObject, missing: string): ItemResult<Uint8Array> {
  const raw = item['plaintext'];
  if (raw === undefined || raw === null) return { ok: false, error: missing };
  if (typeof raw !== 'string') return { ok: false, error: 'invalid value for field "plaintext": expected a base64 string' };
  return decodeBase64(raw);
}

function ciphertextOf(item: JsonObject, missing: string): ItemResult<string> {
  const raw = item['ciphertext'];
  if (raw === undefined || raw === null || raw === '') return { ok: false, error: missing };
  return typeof raw === 'string' ? { ok: true, value: raw } : { ok: false, error: 'invalid value for field "ciphertext": expected a string' };
}

function loadKey(ctx: EngineContext, name: string): { rec: TransitKeyRecord } | { stop: Outcome } {
  const rec = readKey(ctx.storage, name);
  if (!rec.ok) return { stop: stop(fromError(rec.error)) };
  return rec.value === undefined ? { stop: stop(badRequest(NOT_FOUND)) } : { rec: rec.value };
}

export function encrypt(req: LogicalRequest, ctx: EngineContext, name: string, random: RandomBytes): Outcome {
  const body = bodyObject(req.data);
  if (!body.ok) return stop(badRequest(body.error));
  const parsed = itemsOf(body.value);
  if ('error' in parsed) return stop(badRequest(parsed.error));
  const hasContext = (i: JsonObject): boolean => typeof i['context'] === 'string' && i['context'] !== '';
  const contextSet = parsed.items[0] !== undefined && hasContext(parsed.items[0]);
  if (parsed.items.some((i) => hasContext(i) !== contextSet)) return stop(badRequest('context should be set either in all the request blocks or in none'));
  const warnings = unknownFieldsWarning(body.value, [...ITEM_FIELDS, 'batch_input', 'type', 'convergent_encryption', 'partial_failure_response_code']);
  const found = readKey(ctx.storage, name);
  if (!found.ok) return stop(fromError(found.error));
  let rec = found.value;
  let upserted = false;
  if (rec === undefined) {
    // Upsert, as Vault does for its CreateOperation: `existenceCheck` answers false for this
    // path, so the ACL has already demanded the `create` capability for this request.
    const opts = newKeyOptions(name, { type: body.value['type'], convergent_encryption: body.value['convergent_encryption'] }, contextSet);
    if ('error' in opts) return stop(badRequest(opts.error));
    rec = newKeyRecord(opts.opts, random(KEY_BYTES), ctx.nowMs);
    upserted = true;
  } else if (req.operation === 'create') {
    warnings.push('Attempted creation of the key during the encrypt operation, but it was created beforehand');
  }
  const key = rec;
  const response = answer(parsed, (item) => {
    const plaintext = plaintextOf(item, 'missing plaintext to encrypt');
    if (!plaintext.ok) return plaintext;
    const inputs = inputsOf(item);
    if (!inputs.ok) return inputs;
    const r = encryptItem(key, plaintext.value, inputs.value, inputs.value.keyVersion, random);
    return r.ok ? { ok: true, value: { ciphertext: r.value.ciphertext, key_version: r.value.keyVersion } } : r;
  }, warnings);
  // A request whose only item failed must not create the key either: bad input changes nothing.
  if (!upserted || response.status !== 200) return stop(response);
  const w = writeKey(ctx.storage, key);
  return w.ok ? { kind: 'commit', respond: () => response } : stop(fromError(w.error));
}

/** One batch item's ciphertext opened (decrypt and rewrap alike). */
function decryptOne(rec: Parameters<typeof decryptItem>[0], item: Parameters<typeof inputsOf>[0]) {
  const ct = ciphertextOf(item, 'missing ciphertext to decrypt');
  if (!ct.ok) return ct;
  const inputs = inputsOf(item);
  if (!inputs.ok) return inputs;
  const plain = decryptItem(rec, ct.value, inputs.value);
  return plain.ok ? ({ ok: true, value: { plain: plain.value, inputs: inputs.value } } as const) : plain;
}

export function decrypt(req: LogicalRequest, ctx: EngineContext, name: string): Outcome {
  const body = bodyObject(req.data);
  if (!body.ok) return stop(badRequest(body.error));
  const parsed = itemsOf(body.value);
  if ('error' in parsed) return stop(badRequest(parsed.error));
  const key = loadKey(ctx, name);
  if ('stop' in key) return key.stop;
  const warnings = unknownFieldsWarning(body.value, [...ITEM_FIELDS, 'batch_input', 'partial_failure_response_code']);
  return stop(answer(parsed, (item) => {
    const d = decryptOne(key.rec, item);
    return d.ok ? { ok: true, value: { plaintext: b64(d.value.plain) } } : d;
  }, warnings));
}

/** `rewrap/:name`: decrypt with whatever version made the ciphertext, encrypt with `key_version` (default latest). */
export function rewrap(req: LogicalRequest, ctx: EngineContext, name: string, random: RandomBytes): Outcome {
  const body = bodyObject(req.data);
  if (!body.ok) return stop(badRequest(body.error));
  const parsed = itemsOf(body.value);
  if ('error' in parsed) return stop(badRequest(parsed.error));
  const key = loadKey(ctx, name);
  if ('stop' in key) return key.stop;
  const warnings = unknownFieldsWarning(body.value, [...ITEM_FIELDS, 'batch_input', 'partial_failure_response_code']);
  return stop(answer(parsed, (item) => {
    const d = decryptOne(key.rec, item);
    if (!d.ok) return d;
    const { plain, inputs } = d.value;
    const r = encryptItem(key.rec, plain, inputs, inputs.keyVersion, random);
    return r.ok ? { ok: true, value: { ciphertext: r.value.ciphertext, key_version: r.value.keyVersion } } : r;
  }, warnings));
}

/** `datakey/plaintext|wrapped/:name`: a fresh random key of `bits`, returned wrapped (and in clear for `plaintext`). */
export function datakey(req: LogicalRequest, ctx: EngineContext, kind: string, name: string, random: RandomBytes): Outcome {
  if (kind !== 'plaintext' && kind !== 'wrapped') return stop(badRequest("Invalid path, must be 'plaintext' or 'wrapped'"));
  const body = bodyObject(req.data);
  if (!body.ok) return stop(badRequest(body.error));
  const bitsRaw = body.value['bits'];
  const bits = bitsRaw === undefined || bitsRaw === null ? { ok: true as const, value: 256 } : intField('bits', bitsRaw);
  if (!bits.ok) return stop(badRequest(bits.error));
  if (![128, 256, 512].includes(bits.value)) return stop(badRequest('invalid bits value'));
  const inputs = inputsOf(body.value);
  if (!inputs.ok) return stop(badRequest(inputs.error));
  const key = loadKey(ctx, name);
  if ('stop' in key) return key.stop;
  const warnings = unknownFieldsWarning(body.value, ['context', 'nonce', 'bits', 'key_version', 'associated_data']);
  const dataKey = random(bits.value / 8);
  const r = encryptItem(key.rec, dataKey, inputs.value, inputs.value.keyVersion, random);
  if (!r.ok) return stop(badRequest(r.error));
  const data: Record<string, unknown> = { ciphertext: r.value.ciphertext, key_version: r.value.keyVersion };
  if (kind === 'plaintext') data['plaintext'] = b64(dataKey);
  return stop(transitEnvelope(data, { warnings }));
}
