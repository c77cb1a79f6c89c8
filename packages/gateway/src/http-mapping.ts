/**
 * HTTP request head -> logical call, 1:1 (pure: no I/O, so every rule is unit-tested):
 *
 *   GET            read   (list when ?list=true; `list` is then dropped from the query)
 *   LIST           list (mapped, but Node's HTTP parser refuses unknown methods with 400 before
 *                  any handler runs: clients send GET ?list=true, as Vault's own Go client does)
 *   POST, PUT      update (the node's existence check turns it into create where the path has one)
 *   PATCH          patch
 *   DELETE         delete
 *   HEAD           read, sys/health only (the answer leaves without a body)
 *
 * Only POST/PUT/PATCH bodies are read (Vault takes GET/LIST/DELETE data from the query); a body
 * must be a JSON object, except on the binary routes (RAW_BODY_PATHS: a snapshot file to restore),
 * whose bytes pass through untouched. The token comes from X-Vault-Token, else `Authorization: Bearer`.
 */
import { err, ok, type Result } from '@coffer/base';
import type { LogicalCall, LogicalOperation } from './backend.js';
import { edgeError, type EdgeResponse } from './error-status.js';

export interface MappedHead {
  readonly operation: LogicalOperation;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly token: string;
  /** The answer must leave without a body (HEAD). */
  readonly isHead: boolean;
  /** POST/PUT/PATCH: the body is read and parsed as a JSON object (or kept raw, see isRawBody). */
  readonly hasBody: boolean;
  /** A binary route: the body is passed on as bytes (still bounded by the body limit), never parsed. */
  readonly isRawBody: boolean;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const HEAD_PATHS: ReadonlySet<string> = new Set(['sys/health']);
/** Routes whose POST/PUT body is binary (Vault: `vault operator raft snapshot restore` posts the file as is). */
export const RAW_BODY_PATHS: ReadonlySet<string> = new Set(['sys/storage/raft/snapshot', 'sys/storage/raft/snapshot-force']);

export function mapRequestHead(method: string, rawUrl: string, headers: Headers): Result<MappedHead, EdgeResponse> {
  // Checked on the raw path: URL parsing would silently resolve "a/%2e%2e/b" to "b".
  const rawPath = rawUrl.split('?')[0] ?? '';
  if (rawPath.split('/').some((seg) => /^(?:\.|%2e){1,2}$/i.test(seg))) return err(edgeError(400, 'the request path must not contain "." or ".." segments'));
  let url: URL;
  try {
    // Origin-form ("/v1/...") is appended, so "//x" stays a path instead of naming a host.
    url = new URL(rawUrl.startsWith('/') ? `http://gateway.invalid${rawUrl}` : rawUrl);
  } catch {
    return err(edgeError(400, 'invalid request URL'));
  }
  if (!url.pathname.startsWith('/v1/')) return err(edgeError(404, 'unsupported path: the API lives under /v1/'));
  let path: string;
  try {
    path = url.pathname.slice('/v1/'.length).split('/').map(decodeURIComponent).join('/');
  } catch {
    return err(edgeError(400, 'invalid percent-encoding in the request path'));
  }
  path = path.replace(/^\/+/, '');
  if (path === '') return err(edgeError(404, 'missing path after /v1/'));
  if (path.split('/').some((s) => s === '..' || s === '.')) return err(edgeError(400, 'the request path must not contain "." or ".." segments'));
  const query: Record<string, string> = {};
  // First value wins for a repeated parameter, as Go's url.Values.Get.
  for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
  const isListQuery = query['list'] === 'true';
  let operation: LogicalOperation;
  switch (method) {
    case 'GET':
      operation = isListQuery ? 'list' : 'read';
      break;
    case 'LIST':
      operation = 'list';
      break;
    case 'POST':
    case 'PUT':
      operation = 'update';
      break;
    case 'PATCH':
      operation = 'patch';
      break;
    case 'DELETE':
      operation = 'delete';
      break;
    case 'HEAD':
      if (!HEAD_PATHS.has(path)) return err(edgeError(405, `HEAD is supported on ${[...HEAD_PATHS].join(', ')} only`));
      operation = 'read';
      break;
    default:
      return err(edgeError(405, `unsupported method ${method.slice(0, 16)}`));
  }
  if (operation === 'list') delete query['list'];
  const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
  return ok({ operation, path, query, token: tokenOf(headers), isHead: method === 'HEAD', hasBody, isRawBody: hasBody && RAW_BODY_PATHS.has(path) });
}

function tokenOf(headers: Headers): string {
  const vault = first(headers['x-vault-token']);
  if (vault !== undefined && vault !== '') return vault.trim();
  const authz = first(headers['authorization']);
  const m = authz === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authz);
  return m?.[1] ?? '';
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * Parses a request body. Empty -> undefined (no body). The error never echoes the input: a
 * malformed body may hold a secret.
 */
export function parseJsonBody(bytes: Uint8Array): Result<Readonly<Record<string, unknown>> | undefined, EdgeResponse> {
  if (bytes.length === 0) return ok(undefined);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.trim() === '') return ok(undefined);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return err(edgeError(400, 'failed to parse JSON input: the request body is not valid JSON'));
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return err(edgeError(400, 'failed to parse JSON input: the request body must be a JSON object'));
  return ok(v as Record<string, unknown>);
}

export function toCall(head: MappedHead, body: Readonly<Record<string, unknown>> | undefined, rawBody?: Uint8Array): LogicalCall {
  const call: LogicalCall = { operation: head.operation, path: head.path, body, query: head.query, token: head.token };
  return rawBody === undefined ? call : { ...call, rawBody };
}
