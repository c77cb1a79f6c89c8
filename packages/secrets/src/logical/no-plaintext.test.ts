/**
 * Nothing the logical layer hands to raft or the state machine may hold a secret in the clear:
 * canaries written through every KV write path must not appear (raw, base64 or hex) in any stored
 * value, any persisted record, the snapshot, or the proposed commands (the raft log).
 */
import { describe, expect, it } from 'vitest';
import { encodeStoredRecord } from '../fsm/snapshot-codec.js';
import { kvStack } from '../kv/kv.test-helper.js';
import { KvV2Engine } from '../kv/kv-engine.js';
import { StorageFsm } from '../fsm/storage-fsm.js';
import { Executor } from './executor.js';
import { LocalProposer } from './harness.js';
import { issueRootToken } from '../auth/root-token.js';

const CANARIES = ['canary-2c1f9e0b-data', 'canary-8d7a6b5c-patch', 'canary-44e1f0aa-custom'];

function forms(s: string): Buffer[] {
  const raw = Buffer.from(s, 'utf8');
  return [raw, Buffer.from(raw.toString('base64')), Buffer.from(raw.toString('base64url')), Buffer.from(raw.toString('hex')), Buffer.from(raw.toString('hex').toUpperCase())];
}

describe('no plaintext below the logical layer', () => {
  it('canaries never reach stored values, persisted records, snapshots or the log', async () => {
    const kv = kvStack();
    await kv.req('update', 'secret/data/app/db', { data: { password: CANARIES[0], nested: { again: CANARIES[0] } } });
    await kv.req('patch', 'secret/data/app/db', { data: { token: CANARIES[1] } });
    await kv.req('update', 'secret/metadata/app/db', { custom_metadata: { note: CANARIES[2] } });
    await kv.req('update', 'secret/data/app/db', { data: { password: CANARIES[0] } });
    await kv.req('update', 'secret/delete/app/db', { versions: [1] });
    // Sanity: the secrets are readable through the logical layer, so they really were written.
    const read = await kv.req('read', 'secret/data/app/db', undefined, { version: '2' });
    expect(JSON.stringify(read.body)).toContain(CANARIES[1]);

    const haystacks: Array<[string, Uint8Array]> = [['snapshot', kv.fsm.snapshot()]];
    for (const [path, entry] of kv.fsm.list('')) {
      haystacks.push([`value ${path}`, entry.value], [`record ${path}`, encodeStoredRecord(entry)]);
    }
    kv.proposer.log.forEach((cmd, i) => haystacks.push([`log ${i}`, cmd]));
    expect(haystacks.length).toBeGreaterThan(10);
    for (const [where, bytes] of haystacks) {
      const hay = Buffer.from(bytes);
      for (const canary of CANARIES) for (const form of forms(canary)) expect(hay.includes(form), `${where} holds ${canary}`).toBe(false);
    }
  });

  it('control: the same scan finds the canary when the crypter does not encrypt', async () => {
    const fsm = new StorageFsm();
    const identity = { encrypt: (_p: string, b: Uint8Array) => ({ ok: true as const, value: b }), decrypt: (_p: string, b: Uint8Array) => ({ ok: true as const, value: b }) };
    const ex = new Executor({ reader: fsm, crypter: identity, proposer: new LocalProposer(fsm), engines: new Map([['kv', new KvV2Engine()]]), nowMs: () => 0, randomId: () => 'id' });
    const root = await issueRootToken(ex);
    expect(root.ok).toBe(true);
    const res = await ex.execute({ operation: 'update', path: 'secret/data/x', data: { data: { p: CANARIES[0] } }, token: root.ok ? root.value : '' });
    expect(res.status).toBe(200);
    expect(Buffer.from(fsm.snapshot()).includes(Buffer.from(CANARIES[0] ?? ''))).toBe(true);
  });
});
