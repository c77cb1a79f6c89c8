import { describe, expect, it } from 'vitest';
import { encodePairs, utf8 } from './bytes.js';
import { decodeSnapshotArchive, decodeSnapshotContent, encodeSnapshotArchive, SNAPSHOT_FORMAT_VERSION } from './snapshot-archive.js';

const content = encodePairs([[utf8('f/core/seal-config'), utf8('{}')], [utf8('f/logical/a'), utf8('ciphertext')]]);
const meta = { clusterId: 'cluster-1', index: 42, term: 7 };

const messageOf = (file: Uint8Array): string => {
  const r = decodeSnapshotArchive(file);
  if (r.ok) throw new Error('expected a refusal');
  expect(r.error.kind).toBe('invalid-request');
  expect(r.error.message).toContain('nothing was changed');
  return r.error.message;
};

describe('snapshot archive', () => {
  it('round-trips header and content', () => {
    const r = decodeSnapshotArchive(encodeSnapshotArchive(meta, content));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.header).toMatchObject({ formatVersion: SNAPSHOT_FORMAT_VERSION, clusterId: 'cluster-1', index: 42, term: 7, contentBytes: content.length });
    expect(r.value.header.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.value.content).toEqual(content);
    const pairs = decodeSnapshotContent(r.value.content);
    expect(pairs.ok && pairs.value.length).toBe(2);
  });

  it('refuses a truncated file at every length, saying it is truncated', () => {
    const file = encodeSnapshotArchive(meta, content);
    for (let n = 0; n < file.length; n++) expect(messageOf(file.subarray(0, n))).toMatch(/truncated|corrupt header/);
  });

  it('refuses a flipped content byte by its checksum, and trailing bytes', () => {
    const file = encodeSnapshotArchive(meta, content);
    const bad = file.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
    expect(messageOf(bad)).toContain('checksum mismatch');
    const longer = new Uint8Array(file.length + 3);
    longer.set(file);
    expect(messageOf(longer)).toContain('unexpected bytes');
  });

  it('refuses another file type, another format version and a mangled header', () => {
    expect(messageOf(utf8('{"not":"a snapshot"} and some more bytes'))).toContain('wrong magic');
    const file = encodeSnapshotArchive(meta, content);
    const text = Buffer.from(file).toString('latin1').replace('"format_version":1', '"format_version":9');
    expect(messageOf(new Uint8Array(Buffer.from(text, 'latin1')))).toContain('format version 9 is not supported');
    const mangled = Buffer.from(file).toString('latin1').replace('"cluster_id"', '"cluster_xx"');
    expect(messageOf(new Uint8Array(Buffer.from(mangled, 'latin1')))).toContain('corrupt header');
  });

  it('refuses content whose checksum matches but that does not decode', () => {
    const r = decodeSnapshotArchive(encodeSnapshotArchive(meta, utf8('garbage that is not pairs')));
    expect(r.ok).toBe(true);
    if (r.ok) expect(decodeSnapshotContent(r.value.content).ok).toBe(false);
  });
});
