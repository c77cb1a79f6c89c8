/**
 * Builds Vault-shaped audit entries (one JSON object per request and per response) with every
 * secret-bearing value hashed under one device's key. Pure: the broker calls it once per device.
 *
 * Plain (structural, as in Vault): time, type, request id/operation/path/mount_type/remote_address,
 * policies and token type, warnings, lease ids, status code, error messages (which by project rule
 * never carry secrets). Hashed: the client token, accessors (unless `hmac_accessor` is false), every
 * string and number in request and response `data`, auth metadata, wrapped tokens, and any response
 * field this module does not know. `log_raw` turns all hashing off.
 */
import type { LogicalRequest, LogicalResponse } from '../logical/types.js';
import { isObject } from '../logical/params.js';
import { rfc3339 } from '../logical/time.js';
import { hashStructure } from './hash.js';

/** What the token layer knows about the caller (all optional: the executor may not resolve tokens). */
export interface AuditAuth {
  readonly accessor?: string;
  readonly display_name?: string;
  readonly policies?: readonly string[];
  readonly token_policies?: readonly string[];
  readonly metadata?: Readonly<Record<string, string>>;
  readonly entity_id?: string;
  readonly token_type?: string;
}

/** Facts about one request that the logical request does not carry. */
export interface AuditRequestInfo {
  /** Correlates the request and response entries; also stamped on the response envelope. */
  readonly id: string;
  readonly timeMs: number;
  readonly remoteAddress?: string;
  readonly auth?: AuditAuth;
  readonly mountType?: string;
}

/** How one device hashes: `hash` is the identity when the device logs raw. */
export interface EntryHasher {
  readonly hash: (s: string) => string;
  readonly hmacAccessor: boolean;
}

const PLAIN_AUTH_KEYS = new Set(['display_name', 'policies', 'token_policies', 'identity_policies', 'entity_id', 'token_type', 'orphan', 'num_uses', 'lease_duration', 'renewable', 'explicit_max_ttl', 'ttl', 'period']);
const PLAIN_WRAP_KEYS = new Set(['ttl', 'creation_time', 'creation_path', 'format']);
const PLAIN_RESPONSE_KEYS = new Set(['request_id', 'lease_id', 'renewable', 'lease_duration', 'warnings', 'mount_type']);

function accessor(h: EntryHasher, v: unknown): unknown {
  return h.hmacAccessor ? hashStructure(v, h.hash) : v;
}

/** An auth block (the caller's, or one a response hands out): tokens hashed, structure plain. */
export function hashAuth(auth: unknown, h: EntryHasher): unknown {
  if (!isObject(auth)) return auth === undefined ? undefined : hashStructure(auth, h.hash);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(auth)) {
    if (k === 'accessor') out[k] = accessor(h, v);
    else out[k] = PLAIN_AUTH_KEYS.has(k) ? v : hashStructure(v, h.hash);
  }
  return out;
}

function hashWrapInfo(wrap: unknown, h: EntryHasher): unknown {
  if (!isObject(wrap)) return wrap === null || wrap === undefined ? wrap : hashStructure(wrap, h.hash);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(wrap)) {
    if (k === 'accessor' || k === 'wrapped_accessor') out[k] = accessor(h, v);
    else out[k] = PLAIN_WRAP_KEYS.has(k) ? v : hashStructure(v, h.hash);
  }
  return out;
}

/** GET query parameters are request data to Vault (`?version=2`); merged under the body. */
function requestData(req: LogicalRequest): unknown {
  if (req.query === undefined || Object.keys(req.query).length === 0) return req.data;
  if (req.data === undefined || req.data === null) return { ...req.query };
  return isObject(req.data) ? { ...req.query, ...req.data } : req.data;
}

function authBlock(req: LogicalRequest, info: AuditRequestInfo, h: EntryHasher): Record<string, unknown> {
  const auth = hashAuth(info.auth ?? {}, h) as Record<string, unknown>;
  return req.token === undefined ? auth : { client_token: h.hash(req.token), ...auth };
}

function requestBlock(req: LogicalRequest, info: AuditRequestInfo, h: EntryHasher): Record<string, unknown> {
  const out: Record<string, unknown> = { id: info.id, operation: req.operation };
  if (info.mountType !== undefined) out['mount_type'] = info.mountType;
  if (req.token !== undefined) out['client_token'] = h.hash(req.token);
  if (info.auth?.accessor !== undefined) out['client_token_accessor'] = accessor(h, info.auth.accessor);
  out['path'] = req.path;
  const data = requestData(req);
  if (data !== undefined) out['data'] = hashStructure(data, h.hash);
  out['remote_address'] = info.remoteAddress ?? '';
  return out;
}

export function requestEntry(req: LogicalRequest, info: AuditRequestInfo, h: EntryHasher): Record<string, unknown> {
  return { time: rfc3339(info.timeMs), type: 'request', auth: authBlock(req, info, h), request: requestBlock(req, info, h), error: '' };
}

export function responseEntry(req: LogicalRequest, res: LogicalResponse, info: AuditRequestInfo & { readonly responseTimeMs: number }, h: EntryHasher): Record<string, unknown> {
  const response: Record<string, unknown> = { status_code: res.status };
  let error = '';
  const body = res.body;
  if (res.status >= 400 && isObject(body) && Array.isArray(body['errors'])) {
    error = body['errors'].filter((e): e is string => typeof e === 'string').join('; ');
  } else if (isObject(body)) {
    for (const [k, v] of Object.entries(body)) {
      if (k === 'auth') response[k] = v === null ? null : hashAuth(v, h);
      else if (k === 'wrap_info') response[k] = hashWrapInfo(v, h);
      else response[k] = PLAIN_RESPONSE_KEYS.has(k) ? v : hashStructure(v, h.hash);
    }
  } else if (body !== undefined) {
    response['data'] = hashStructure(body, h.hash);
  }
  return { time: rfc3339(info.responseTimeMs), type: 'response', auth: authBlock(req, info, h), request: requestBlock(req, info, h), response, error };
}
