/**
 * Random requests (operations, paths, bodies of every JSON type) never throw, always answer a
 * status with Vault's body shape, and whatever they commit replays identically on a keyless follower.
 */
import { describe, expect, it } from 'vitest';
import { SeededRng } from '@coffer/base';
import { StorageFsm } from '../fsm/storage-fsm.js';
import { kvStack } from '../kv/kv.test-helper.js';
import type { Operation } from './types.js';

const OPS: Operation[] = ['read', 'create', 'update', 'patch', 'delete', 'list'];
const SECTIONS = ['data/', 'metadata/', 'delete/', 'undelete/', 'destroy/', 'subkeys/', 'config', 'bogus/', ''];
const KEYS = ['a', 'b/c', 'b/d/e', '', 'x/', '../y', 'a//b', 'é'];

function randomJson(rng: SeededRng, depth = 0): unknown {
  const pick = rng.int(0, depth > 2 ? 6 : 8);
  switch (pick) {
    case 0: return null;
    case 1: return rng.next() < 0.5;
    case 2: return rng.int(-3, 15);
    case 3: return ['1', 'x', '1,2', '', '1h'][rng.int(0, 5)];
    case 4: return 1.5;
    case 5: return rng.int(0, 3);
    case 6: return Array.from({ length: rng.int(0, 3) }, () => randomJson(rng, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      const fields = ['data', 'options', 'cas', 'versions', 'max_versions', 'cas_required', 'delete_version_after', 'custom_metadata', 'k'];
      for (let i = rng.int(0, 4); i > 0; i--) o[fields[rng.int(0, fields.length)] ?? 'k'] = randomJson(rng, depth + 1);
      return o;
    }
  }
}

describe('logical layer fuzz', () => {
  it('never throws, answers Vault-shaped bodies, and commits replay on a follower', async () => {
    const kv = kvStack();
    const rng = new SeededRng(42);
    const statuses = new Set<number>();
    for (let i = 0; i < 1500; i++) {
      kv.clock.nowMs += rng.int(0, 2000);
      const path = `secret/${SECTIONS[rng.int(0, SECTIONS.length)] ?? ''}${KEYS[rng.int(0, KEYS.length)] ?? ''}`;
      const query = rng.next() < 0.2 ? { version: String(rng.int(-1, 4)) } : undefined;
      const plausible = [{ data: { v: i } }, { data: { v: i }, options: { cas: rng.int(0, 4) } }, { versions: [rng.int(1, 4)] }, { max_versions: rng.int(0, 4) }, { custom_metadata: { a: 'b' } }];
      const body = rng.next() < 0.6 ? plausible[rng.int(0, plausible.length)] : randomJson(rng);
      const res = await kv.req(OPS[rng.int(0, OPS.length)] ?? 'read', path, body, query);
      statuses.add(res.status);
      if (res.status === 204) expect(res.body).toBeUndefined();
      else if (res.status >= 400 && !(res.body as { data?: unknown }).data) expect(Array.isArray((res.body as { errors: unknown }).errors), JSON.stringify(res)).toBe(true);
      else expect(res.body).toHaveProperty('request_id');
    }
    expect([...statuses].every((s) => [200, 204, 400, 404, 405].includes(s)), [...statuses].join(',')).toBe(true);
    expect(statuses.has(200) && statuses.has(400)).toBe(true);
    expect(kv.proposer.log.length).toBeGreaterThan(20);
    const follower = new StorageFsm();
    kv.proposer.log.forEach((cmd, i) => follower.applyEncoded(cmd, i + 1));
    expect(follower.stateHash()).toBe(kv.fsm.stateHash());
  });
});
