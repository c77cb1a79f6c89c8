/**
 * The operator's snapshot file (GET/POST sys/storage/raft/snapshot): the state machine's data
 * records (ciphertext and the barrier's wrapped keys only: no key in clear, no token in clear),
 * behind a versioned header that is checked before anything changes.
 *
 *   bytes 0..7    magic "COFFSNAP"
 *   bytes 8..11   u32 BE: header length H (<= MAX_HEADER_BYTES)
 *   next H bytes  header, UTF-8 JSON: { format_version, cluster_id, index, term, content_bytes,
 *                 sha256 (hex of the content) }
 *   the rest      content: the store pairs (`encodePairs`), exactly content_bytes long
 *
 * Pure: no I/O. Every way a file can be wrong (truncated, corrupt, another format, another
 * cluster) is a typed `invalid-request` saying which, so the caller answers 400 and changes nothing.
 */
import { createHash } from 'node:crypto';
import { cofferError, err, ok, type Result } from '@coffer/base';
import { decodePairs, fromUtf8, utf8 } from './bytes.js';
import type { KvPair } from './ports.js';

export const SNAPSHOT_MAGIC = 'COFFSNAP';
export const SNAPSHOT_FORMAT_VERSION = 1;
export const SNAPSHOT_CONTENT_TYPE = 'application/octet-stream';
const MAX_HEADER_BYTES = 64 * 1024;
const PREFIX_BYTES = 12;

export interface SnapshotHeader {
  readonly formatVersion: number;
  /** The barrier's cluster id (seal-status `cluster_id`) of the cluster the file was taken from. */
  readonly clusterId: string;
  /** The applied index and term the state was taken at. */
  readonly index: number;
  readonly term: number;
  readonly contentBytes: number;
  /** SHA-256 of the content, hex. */
  readonly sha256: string;
}

export interface SnapshotArchive {
  readonly header: SnapshotHeader;
  readonly content: Uint8Array;
}

const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export function encodeSnapshotArchive(meta: { clusterId: string; index: number; term: number }, content: Uint8Array): Uint8Array {
  const header = utf8(JSON.stringify({
    format_version: SNAPSHOT_FORMAT_VERSION,
    cluster_id: meta.clusterId,
    index: meta.index,
    term: meta.term,
    content_bytes: content.length,
    sha256: sha256Hex(content),
  }));
  const out = new Uint8Array(PREFIX_BYTES + header.length + content.length);
  out.set(utf8(SNAPSHOT_MAGIC), 0);
  new DataView(out.buffer).setUint32(8, header.length);
  out.set(header, PREFIX_BYTES);
  out.set(content, PREFIX_BYTES + header.length);
  return out;
}

const bad = (message: string): Result<never> => err(cofferError('invalid-request', `invalid snapshot file: ${message}; nothing was changed`));

/** Checks magic, header, length and checksum, in that order. */
export function decodeSnapshotArchive(file: Uint8Array): Result<SnapshotArchive> {
  if (file.length < PREFIX_BYTES) return bad(`truncated (${file.length} bytes, not even a header)`);
  if (fromUtf8(file.subarray(0, 8)) !== SNAPSHOT_MAGIC) return bad('this is not a Coffer snapshot (wrong magic bytes)');
  const headerBytes = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(8);
  if (headerBytes > MAX_HEADER_BYTES) return bad(`corrupt header length ${headerBytes}`);
  if (PREFIX_BYTES + headerBytes > file.length) return bad('truncated inside the header');
  let raw: unknown;
  try {
    raw = JSON.parse(fromUtf8(file.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes)));
  } catch {
    return bad('corrupt header (not JSON)');
  }
  const header = parseHeader(raw);
  if (!header.ok) return header;
  const content = file.subarray(PREFIX_BYTES + headerBytes);
  const h = header.value;
  if (content.length < h.contentBytes) return bad(`truncated: ${content.length} of ${h.contentBytes} content bytes`);
  if (content.length > h.contentBytes) return bad(`${content.length - h.contentBytes} unexpected bytes after the content`);
  if (sha256Hex(content) !== h.sha256) return bad('checksum mismatch (the content is corrupt)');
  return ok({ header: h, content });
}

function parseHeader(raw: unknown): Result<SnapshotHeader> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('corrupt header (not an object)');
  const o = raw as Record<string, unknown>;
  const v = o['format_version'];
  if (typeof v !== 'number' || !Number.isInteger(v)) return bad('header has no format_version');
  if (v !== SNAPSHOT_FORMAT_VERSION) return bad(`format version ${v} is not supported (this node reads version ${SNAPSHOT_FORMAT_VERSION})`);
  const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  const { cluster_id: clusterId, index, term, content_bytes: contentBytes, sha256 } = o;
  if (typeof clusterId !== 'string' || !isCount(index) || !isCount(term) || !isCount(contentBytes) || typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
    return bad('corrupt header (cluster_id, index, term, content_bytes or sha256 missing or malformed)');
  }
  return ok({ formatVersion: v, clusterId, index, term, contentBytes, sha256 });
}

/** The content's pairs; a content whose checksum matched but that does not decode is refused too. */
export function decodeSnapshotContent(content: Uint8Array): Result<KvPair[]> {
  try {
    return ok(decodePairs(content));
  } catch {
    return bad('the content does not decode as store records');
  }
}
