/**
 * Races between token writes, decided by the txn guards: a request is decided on one state and
 * something it read changes before its txn applies. A custom proposer runs the racing request
 * in between decide and apply.
 */
import { describe, expect, it } from 'vitest';
import type { Txn } from '../fsm/txn.js';
import { Executor } from '../logical/executor.js';
import { KvV2Engine } from '../kv/kv-engine.js';
import { authOf, authStack } from './auth.test-helper.js';
import type { AuthStack } from './auth.test-helper.js';

/** A second executor on the same state whose next proposal first lets `race` run to completion. */
function racingExecutor(a: AuthStack): { ex: Executor; raceNext: (race: () => Promise<unknown>) => void } {
  let pending: (() => Promise<unknown>) | undefined;
  const ex = new Executor({
    reader: a.fsm,
    crypter: a.crypter,
    proposer: {
      async propose(txn: Txn) {
        const race = pending;
        pending = undefined;
        if (race !== undefined) await race();
        return a.proposer.propose(txn);
      },
    },
    engines: new Map([['kv', new KvV2Engine()]]),
    nowMs: () => a.clock.nowMs,
    randomId: () => 'race',
  });
  return { ex, raceNext: (race) => (pending = race) };
}

describe('token races', () => {
  it('a child created while its parent is being revoked does not survive the parent', async () => {
    const a = authStack();
    const parent = await a.token({ policies: ['root'] });
    const { ex, raceNext } = racingExecutor(a);
    raceNext(() => a.as(a.rootToken, 'update', 'auth/token/revoke', { token: parent }));
    // The create was decided with the parent alive; the revoke lands first; the create re-runs.
    const res = await ex.execute({ operation: 'update', path: 'auth/token/create', data: {}, token: parent });
    expect(res).toEqual({ status: 403, body: { errors: ['permission denied'] } });
    expect(a.fsm.list('auth/token/id/')).toHaveLength(1);
  });

  it('a revocation decided before a child was created still revokes that child', async () => {
    const a = authStack();
    const parent = await a.token({ policies: ['root'] });
    let child = '';
    const { ex, raceNext } = racingExecutor(a);
    raceNext(async () => {
      child = authOf(await a.as(parent, 'update', 'auth/token/create', {}))['client_token'] as string;
    });
    expect(await ex.execute({ operation: 'update', path: 'auth/token/revoke', data: { token: parent }, token: a.rootToken })).toEqual({ status: 204 });
    expect(child).toMatch(/^hvs\./);
    expect((await a.as(child, 'read', 'auth/token/lookup-self')).status).toBe(403);
    expect(a.fsm.list('auth/token/id/')).toHaveLength(1);
  });

  it('a single-use token used by two racing requests serves only one', async () => {
    const a = authStack();
    const once = await a.token({ policies: ['root'], num_uses: 1 });
    const { ex, raceNext } = racingExecutor(a);
    let raced = 0;
    raceNext(async () => {
      raced = (await a.as(once, 'update', 'secret/data/k', { data: { by: 'racer' } })).status;
    });
    const res = await ex.execute({ operation: 'update', path: 'secret/data/k', data: { data: { by: 'first' } }, token: once });
    expect(raced).toBe(200);
    expect(res.status).toBe(403);
    expect(((await a.as(a.rootToken, 'read', 'secret/data/k')).body as { data: { data: unknown } }).data.data).toEqual({ by: 'racer' });
  });
});
