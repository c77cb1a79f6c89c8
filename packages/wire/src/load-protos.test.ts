import { describe, expect, it } from 'vitest';
import { loadPackageDefinition, loadProtos } from './index.js';
import type { MessageBatch } from './index.js';

describe('loadProtos', () => {
  it('exposes the RaftPeer service with its two streaming methods', () => {
    const proto = loadProtos();
    const service = proto.coffer.raft.v1.RaftPeer.service;
    expect(service.Stream.requestStream).toBe(true);
    expect(service.Stream.responseStream).toBe(true);
    expect(service.InstallSnapshot.requestStream).toBe(true);
    expect(service.InstallSnapshot.responseStream).toBe(false);
  });

  it('decodes uint64 as strings, bytes as bytes and names the oneof case', () => {
    const { Stream } = loadProtos().coffer.raft.v1.RaftPeer.service;
    const batch: MessageBatch = {
      seq: '18446744073709551615',
      messages: [
        {
          from: 'n1',
          to: 'n2',
          term: 7,
          append: {
            prev_index: 3,
            prev_term: 2,
            commit: 3,
            entries: [{ term: 7, index: 4, type: 'ENTRY_TYPE_CONF_CHANGE', data: new Uint8Array([0, 255, 1]) }],
          },
        },
      ],
    };
    const decoded = Stream.requestDeserialize(Stream.requestSerialize(batch));
    expect(decoded.seq).toBe('18446744073709551615');
    const m = decoded.messages[0];
    expect(m?.body).toBe('append');
    expect(m?.term).toBe('7');
    const e = m?.append?.entries[0];
    expect(e?.type).toBe('ENTRY_TYPE_CONF_CHANGE');
    expect([...(e?.data ?? [])]).toEqual([0, 255, 1]);
  });

  it('loads every proto file once and caches the result', () => {
    expect(loadProtos()).toBe(loadProtos());
    const names = Object.keys(loadPackageDefinition());
    expect(names).toContain('coffer.raft.v1.RaftPeer');
    expect(names).toContain('coffer.raft.v1.RaftMessage');
  });
});
