/**
 * Token ids never appear below the logical layer: not in any storage path, stored value,
 * persisted record, snapshot or proposed command (raw, hex, base64, base64url). The control
 * shows the scan works (an identity crypter exposes accessors) and that token ids are protected
 * by the keyed hash itself, not only by the barrier's encryption.
 */
import { describe, expect, it } from 'vitest';
import { encodeStoredRecord } from '../fsm/snapshot-codec.js';
import { StorageFsm } from '../fsm/storage-fsm.js';
import { KvV2Engine } from '../kv/kv-engine.js';
import { Executor } from '../logical/executor.js';
import { LocalProposer } from '../logical/harness.js';
import type { LogicalResponse } from '../logical/types.js';
import { authOf, authStack, dataOf } from './auth.test-helper.js';
import { issueRootToken } from './root-token.js';

function forms(s: string): Buffer[] {
  const raw = Buffer.from(s, 'utf8');
  const noPrefix = Buffer.from(s.replace(/^hvs\./, ''), 'utf8');
  return [raw, noPrefix].flatMap((b) => [b, Buffer.from(b.toString('base64')), Buffer.from(b.toString('base64url')), Buffer.from(b.toString('hex')), Buffer.from(b.toString('hex').toUpperCase())]);
}

function haystacks(fsm: StorageFsm, log: readonly Uint8Array[]): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [['snapshot', Buffer.from(fsm.snapshot())]];
  for (const [path, entry] of fsm.list('')) out.push([`path ${path}`, Buffer.from(path)], [`value ${path}`, Buffer.from(entry.value)], [`record ${path}`, Buffer.from(encodeStoredRecord(entry))]);
  log.forEach((cmd, i) => out.push([`log ${i}`, Buffer.from(cmd)]));
  return out;
}

const found = (hay: Array<[string, Buffer]>, secret: string): string[] => hay.filter(([, b]) => forms(secret).some((f) => b.includes(f))).map(([w]) => w);

describe('no token id below the logical layer', () => {
  it('ids of root, child, orphan, renewed, used and revoked tokens never reach storage or the log', async () => {
    const a = authStack();
    const tokens = [a.rootToken];
    const accessors: string[] = [];
    const keep = (res: LogicalResponse): string => {
      const auth = authOf(res);
      tokens.push(auth['client_token'] as string);
      accessors.push(auth['accessor'] as string);
      return auth['client_token'] as string;
    };
    const parent = keep(await a.as(a.rootToken, 'update', 'auth/token/create', { policies: ['root'], ttl: '1h' }));
    const child = keep(await a.as(parent, 'update', 'auth/token/create', { num_uses: 3, ttl: '10m' }));
    keep(await a.as(parent, 'update', 'auth/token/create-orphan', { policies: ['x'] }));
    await a.as(child, 'update', 'auth/token/renew-self', { increment: '5m' });
    await a.as(child, 'read', 'auth/token/lookup-self');
    await a.as(a.rootToken, 'update', 'auth/token/lookup', { token: child });
    const victim = keep(await a.as(a.rootToken, 'update', 'auth/token/create', {}));
    await a.as(a.rootToken, 'update', 'auth/token/revoke', { token: victim });
    expect(dataOf(await a.as(parent, 'read', 'auth/token/lookup-self'))['id']).toBe(parent);

    const hay = haystacks(a.fsm, a.proposer.log);
    expect(hay.length).toBeGreaterThan(20);
    for (const t of tokens) expect(found(hay, t), t).toEqual([]);
    for (const acc of accessors) expect(found(hay, acc), 'accessor').toEqual([]);
  });

  it('control: with an identity crypter the scan finds accessors, yet still no token id', async () => {
    const fsm = new StorageFsm();
    const proposer = new LocalProposer(fsm);
    const identity = { encrypt: (_p: string, b: Uint8Array) => ({ ok: true as const, value: b }), decrypt: (_p: string, b: Uint8Array) => ({ ok: true as const, value: b }) };
    const ex = new Executor({ reader: fsm, crypter: identity, proposer, engines: new Map([['kv', new KvV2Engine()]]), nowMs: () => 0, randomId: () => 'id' });
    const root = await issueRootToken(ex);
    if (!root.ok) throw new Error(root.error.message);
    const res = await ex.execute({ operation: 'update', path: 'auth/token/create', data: {}, token: root.value });
    const { client_token: id, accessor } = authOf(res) as { client_token: string; accessor: string };
    const hay = haystacks(fsm, proposer.log);
    expect(found(hay, accessor).length).toBeGreaterThan(0);
    expect(found(hay, id)).toEqual([]);
    expect(found(hay, root.value)).toEqual([]);
  });
});
